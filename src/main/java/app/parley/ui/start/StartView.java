package app.parley.ui.start;

import app.parley.ui.look.AppearanceModel;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The first screen: your name, then host a session or join one (found on the network, joined
 * before, or by its address). Binds to a {@link StartViewModel}, and to an
 * {@link AppearanceModel} for the theme switch; the two lists are {@link NearbyList} and
 * {@link RecentList}.
 */
public final class StartView {
    private static final double HOST_CARD_WIDTH = 380;
    private static final double JOIN_CARD_WIDTH = 600;
    private static final double EXPLANATION_WIDTH = 240;

    private final VBox root = new VBox();
    /** Scrolls only when the window is smaller than the screen's content. */
    private final ScrollPane scroll = new ScrollPane(root);

    public StartView(StartViewModel model, AppearanceModel appearance) {
        root.getStyleClass().add("start-root");
        scroll.getStyleClass().addAll("start-scroll", "edge-to-edge");
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);

        Label title = new Label("Parley");
        title.getStyleClass().add("start-title");
        Label subtitle =
                new Label("Chat over Socket.IO: host a session on this computer, or join one on your network.");
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
        CheckBox secure = new CheckBox("Secure (TLS): joiners use https://");
        secure.setId("host-tls");
        secure.selectedProperty().bindBidirectional(model.hostSecureProperty());
        CheckBox advertise = new CheckBox("Let others on this network find this session");
        advertise.setId("host-advertise");
        advertise.selectedProperty().bindBidirectional(model.advertiseProperty());
        TextField sessionName = field("host-session-name", model.sessionNameProperty(), "Your name");
        sessionName.disableProperty().bind(model.advertiseProperty().not());
        Button host = new Button("Host a session");
        host.setId("host-button");
        host.setDefaultButton(false);
        host.setOnAction(e -> model.host());
        host.getStyleClass().add("accent");
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
                        null,
                        secure,
                        null,
                        advertise,
                        new Label("Session name"),
                        sessionName),
                host);

        VBox joinCard = joinCard(model);
        HBox cards = new HBox(hostCard, joinCard);
        cards.getStyleClass().add("start-cards");
        // The join side holds two lists side by side: it gets the larger share of the width.
        hostCard.setPrefWidth(HOST_CARD_WIDTH);
        joinCard.setPrefWidth(JOIN_CARD_WIDTH);
        HBox.setHgrow(hostCard, Priority.SOMETIMES);
        HBox.setHgrow(joinCard, Priority.ALWAYS);
        VBox.setVgrow(cards, Priority.ALWAYS);

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

        root.getChildren().addAll(title, subtitle, nameRow, cards, workbenchStrip(model), feedback);
    }

    public Parent root() {
        return scroll;
    }

    /**
     * Sessions found on the network on the left; the typed address, and the sessions joined
     * before, on the right. The one password field serves all three ways in.
     */
    private static VBox joinCard(StartViewModel model) {
        TextField url = field("join-url", model.joinUrlProperty(), "http://192.168.1.20:3000");
        url.setOnAction(e -> model.join());
        PasswordField joinPassword = password("join-password", model.joinPasswordProperty());
        joinPassword.setOnAction(e -> model.join());
        Button join = new Button("Join");
        join.setId("join-button");
        join.setOnAction(e -> model.join());
        join.getStyleClass().add("accent");

        ListView<?> nearby = new NearbyList(model).node();
        VBox found = new VBox(heading("Sessions nearby", nearby), nearby);
        found.getStyleClass().add("join-column");
        ListView<?> recent = new RecentList(model).node();
        VBox.setVgrow(recent, Priority.ALWAYS);
        VBox typed = new VBox(
                form(new Label("Address"), url, new Label("Password"), joinPassword),
                join,
                heading("Recent", recent),
                recent);
        typed.getStyleClass().add("join-column");
        HBox columns = new HBox(found, typed);
        columns.getStyleClass().add("join-columns");
        HBox.setHgrow(found, Priority.ALWAYS);
        HBox.setHgrow(typed, Priority.ALWAYS);
        found.setPrefWidth(1);
        typed.setPrefWidth(1);
        VBox.setVgrow(columns, Priority.ALWAYS);
        return card(
                "Join a session",
                "Double-click a session found on this network, or type the address the host gave you:"
                        + " another Parley or any Socket.IO v4 server.",
                columns);
    }

    /** The third way in, for developers: a strip under the two cards, so they keep their room. */
    private static HBox workbenchStrip(StartViewModel model) {
        Label title = new Label("Test a Socket.IO server");
        title.getStyleClass().add("card-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label text = new Label("Any server, with auth, headers and query: every event in and out, emit with acks,"
                + " answer the server's acks.");
        text.getStyleClass().add("muted");
        text.setWrapText(true);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button open = new Button("Open the workbench");
        open.setId("workbench-button");
        open.setMinWidth(Region.USE_PREF_SIZE);
        open.setOnAction(e -> model.openWorkbench());
        HBox strip = new HBox(title, text, open);
        strip.getStyleClass().addAll("card", "workbench-strip");
        strip.setAlignment(Pos.CENTER_LEFT);
        return strip;
    }

    private static Label heading(String text, javafx.scene.Node labelFor) {
        Label heading = new Label(text);
        heading.getStyleClass().add("panel-heading");
        heading.setLabelFor(labelFor);
        return heading;
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

    /** Labels beside their fields; a null label lets the field (a check box) take the whole row. */
    private static GridPane form(javafx.scene.Node... labelsAndFields) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("form");
        for (int i = 0; i < labelsAndFields.length; i += 2) {
            javafx.scene.Node label = labelsAndFields[i];
            javafx.scene.Node field = labelsAndFields[i + 1];
            if (label == null) {
                grid.add(field, 0, i / 2, 2, 1);
            } else {
                grid.addRow(i / 2, label, field);
                // A label is never cut short: the field beside it gives way instead.
                ((Label) label).setMinWidth(Region.USE_PREF_SIZE);
                GridPane.setHgrow(field, Priority.ALWAYS);
            }
            if (field instanceof CheckBox box) {
                box.setWrapText(true);
            }
        }
        return grid;
    }

    private static VBox card(String heading, String explanation, javafx.scene.Node... body) {
        Label title = new Label(heading);
        title.getStyleClass().add("card-title");
        Label text = new Label(explanation);
        text.getStyleClass().add("muted");
        text.setWrapText(true);
        // Wraps to the card's width instead of widening the card to one line.
        text.setPrefWidth(EXPLANATION_WIDTH);
        text.setMaxWidth(Double.MAX_VALUE);
        text.setMinHeight(Region.USE_PREF_SIZE);
        VBox card = new VBox(title, text);
        card.getChildren().addAll(body);
        card.getStyleClass().add("card");
        return card;
    }
}
