package app.parley.ui.workbench;

import app.parley.workbench.ConnectionSpec;
import app.parley.workbench.Transports;
import java.util.Optional;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The connection dialog over a {@link ConnectionForm}: address, namespace and path, the
 * handshake {@code auth}, headers and query as JSON (each with its error right under it),
 * transports, reconnection and timeout. Connect stays off while anything is wrong.
 */
final class ConnectionDialog {
    /** AtlantaFX's red outline for a field with a problem. */
    private static final javafx.css.PseudoClass INVALID = javafx.css.PseudoClass.getPseudoClass("danger");

    /** The answer: the spec, and whether to keep it in the saved list. */
    record Result(ConnectionSpec spec, boolean save) {}

    private ConnectionDialog() {}

    static Optional<Result> show(Window owner, ConnectionSpec start, String action) {
        ConnectionForm form = new ConnectionForm(start);
        Dialog<Result> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Socket.IO connection");
        dialog.setHeaderText(null);
        dialog.setResizable(true);
        ButtonType connect = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(connect, ButtonType.CANCEL);
        dialog.getDialogPane().getStyleClass().add("workbench-dialog");
        dialog.getDialogPane().getStylesheets().add(WorkbenchView.CSS);

        CheckBox save = new CheckBox("Save this connection");
        save.setId("wb-save-connection");
        GridPane grid = new GridPane();
        grid.getStyleClass().add("wb-form");
        ColumnConstraints labels = new ColumnConstraints();
        // Labels are never cut short: the fields beside them give way instead.
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        int row = 0;
        grid.addRow(row++, new Label("Name"), field("wb-name", form.name, "shown on the tab"));
        grid.addRow(row++, new Label("URL"), field("wb-url", form.url, "http://localhost:3000"));
        grid.addRow(row++, new Label("Namespace"), field("wb-namespace", form.namespace, "/"));
        grid.addRow(row++, new Label("Path"), field("wb-path", form.path, "/socket.io"));
        ChoiceBox<Transports> transports = new ChoiceBox<>();
        transports.setId("wb-transports");
        transports.getItems().setAll(Transports.values());
        transports.valueProperty().bindBidirectional(form.transports);
        grid.addRow(row++, new Label("Transports"), transports);
        grid.addRow(
                row++,
                new Label("Auth"),
                json("wb-auth", form.auth, form.authProblem, "{\"token\": \"…\", \"user\": {\"id\": 1}}", 4));
        grid.addRow(
                row++,
                new Label("Headers"),
                json("wb-headers", form.headers, form.headersProblem, "{\"Authorization\": \"Bearer …\"}", 2));
        grid.addRow(
                row++, new Label("Query"), json("wb-query", form.query, form.queryProblem, "{\"room\": \"lobby\"}", 2));
        CheckBox reconnect = new CheckBox("On");
        reconnect.setId("wb-reconnect");
        reconnect.selectedProperty().bindBidirectional(form.reconnection);
        TextField delay = number("wb-reconnect-delay", form.reconnectDelay);
        TextField attempts = number("wb-reconnect-attempts", form.reconnectAttempts);
        delay.disableProperty().bind(reconnect.selectedProperty().not());
        attempts.disableProperty().bind(reconnect.selectedProperty().not());
        HBox reconnection = new HBox(
                reconnect, new Label("first delay (ms)"), delay, new Label("attempts (0: no limit)"), attempts);
        reconnection.getStyleClass().add("wb-row");
        grid.addRow(row++, new Label("Reconnection"), reconnection);
        TextField timeout = number("wb-timeout", form.timeout);
        timeout.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        grid.addRow(row++, new Label("Timeout (ms)"), timeout);
        grid.add(save, 1, row);
        dialog.getDialogPane().setContent(grid);

        Node connectButton = dialog.getDialogPane().lookupButton(connect);
        connectButton.setId("wb-connect-dialog");
        connectButton.disableProperty().bind(form.valid.not());
        dialog.setResultConverter(button -> button == connect ? new Result(form.toSpec(), save.isSelected()) : null);
        return dialog.showAndWait();
    }

    private static Label fixed(String text) {
        Label label = new Label(text);
        label.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return label;
    }

    private static TextField field(String id, StringProperty property, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(property);
        return field;
    }

    private static TextField number(String id, StringProperty property) {
        TextField field = field(id, property, "");
        field.setPrefColumnCount(6);
        return field;
    }

    /** A JSON text area with its problem, in red, right under it. */
    private static VBox json(String id, StringProperty property, StringBinding problem, String prompt, int rows) {
        TextArea area = new TextArea();
        area.setId(id);
        area.setPromptText(prompt);
        area.setPrefRowCount(rows);
        area.getStyleClass().add("wb-json");
        area.textProperty().bindBidirectional(property);
        Label error = new Label();
        error.setId(id + "-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(problem);
        error.visibleProperty().bind(problem.isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        area.pseudoClassStateChanged(INVALID, !problem.get().isEmpty());
        problem.addListener((o, was, now) -> area.pseudoClassStateChanged(INVALID, !now.isEmpty()));
        return new VBox(2, area, error);
    }
}
