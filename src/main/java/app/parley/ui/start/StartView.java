package app.parley.ui.start;

import app.parley.ui.look.AppearanceModel;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The first screen: your name, then host a session or join one by URL. Binds to a
 * {@link StartViewModel}, and to an {@link AppearanceModel} for the theme switch.
 */
public final class StartView {
    private final VBox root = new VBox();

    public StartView(StartViewModel model, AppearanceModel appearance) {
        root.getStyleClass().add("start-root");

        Label title = new Label("Parley");
        title.getStyleClass().add("start-title");
        Label subtitle = new Label("Chat over Socket.IO: host a session on this computer, or join one by its address.");
        subtitle.getStyleClass().add("muted");
        subtitle.setWrapText(true);

        TextField name = field("name-field", model.nameProperty(), "How others see you");
        name.setPrefColumnCount(18);
        Label nameLabel = new Label("Your name");
        nameLabel.setLabelFor(name);
        nameLabel.getStyleClass().add("name-label");
        CheckBox dark = new CheckBox("Dark theme");
        dark.setId("theme-toggle-start");
        dark.selectedProperty().bindBidirectional(appearance.darkProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox nameRow = new HBox(nameLabel, name, spacer, dark);
        nameRow.getStyleClass().add("name-row");
        nameRow.setAlignment(Pos.CENTER_LEFT);

        TextField port = field("host-port", model.portProperty(), "3000");
        port.setPrefColumnCount(6);
        TextField origins = field("host-origins", model.originsProperty(), "http://localhost:8080");
        PasswordField hostPassword = password("host-password", model.hostPasswordProperty());
        javafx.scene.control.CheckBox secure = new javafx.scene.control.CheckBox("Secure (TLS): joiners use https://");
        secure.setId("host-tls");
        secure.selectedProperty().bindBidirectional(model.hostSecureProperty());
        Button host = new Button("Host a session");
        host.setId("host-button");
        host.setDefaultButton(false);
        host.setOnAction(e -> model.host());
        VBox hostCard = card(
                "Host a session",
                "Others on your network join at this computer's address.",
                form(
                        new Label("Port"),
                        port,
                        new Label("Allowed browser origins"),
                        origins,
                        new Label("Password"),
                        hostPassword,
                        new Label(""),
                        secure),
                host);

        TextField url = field("join-url", model.joinUrlProperty(), "http://192.168.1.20:3000");
        url.setOnAction(e -> model.join());
        PasswordField joinPassword = password("join-password", model.joinPasswordProperty());
        joinPassword.setOnAction(e -> model.join());
        Button join = new Button("Join");
        join.setId("join-button");
        join.setOnAction(e -> model.join());
        VBox joinCard = card(
                "Join by URL",
                "Any Socket.IO v4 server: another Parley host or a Node socket.io server.",
                form(new Label("Address"), url, new Label("Password"), joinPassword),
                join);

        HBox cards = new HBox(hostCard, joinCard);
        cards.getStyleClass().add("start-cards");
        HBox.setHgrow(hostCard, Priority.ALWAYS);
        HBox.setHgrow(joinCard, Priority.ALWAYS);

        Label error = new Label();
        error.setId("start-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(22, 22);
        progress.visibleProperty().bind(model.busyProperty());
        cards.disableProperty().bind(model.busyProperty());
        name.disableProperty().bind(model.busyProperty());
        HBox feedback = new HBox(progress, error);
        feedback.setAlignment(Pos.CENTER_LEFT);
        feedback.getStyleClass().add("start-feedback");

        root.getChildren().addAll(title, subtitle, nameRow, cards, feedback);
    }

    public Parent root() {
        return root;
    }

    private static TextField field(String id, javafx.beans.property.StringProperty property, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(property);
        return field;
    }

    private static PasswordField password(String id, javafx.beans.property.StringProperty property) {
        PasswordField field = new PasswordField();
        field.setId(id);
        field.setPromptText("none");
        field.textProperty().bindBidirectional(property);
        return field;
    }

    private static GridPane form(javafx.scene.Node... labelsAndFields) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("form");
        for (int i = 0; i < labelsAndFields.length; i += 2) {
            grid.addRow(i / 2, labelsAndFields[i], labelsAndFields[i + 1]);
            GridPane.setHgrow(labelsAndFields[i + 1], Priority.ALWAYS);
        }
        return grid;
    }

    private static VBox card(String heading, String explanation, GridPane form, Button action) {
        Label title = new Label(heading);
        title.getStyleClass().add("card-title");
        Label text = new Label(explanation);
        text.getStyleClass().add("muted");
        text.setWrapText(true);
        action.getStyleClass().add("accent");
        VBox card = new VBox(title, text, form, action);
        card.getStyleClass().add("card");
        return card;
    }
}
