package app.parley.ui.workbench;

import app.parley.workbench.SavedEmitter;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Emit: the event's name, its arguments as comma-separated JSON (the error under them while they
 * do not parse), an optional ack with its timeout, saved emitters; and the auto-reply rules that
 * answer the server's acks by themselves. Ctrl+Enter in the arguments emits.
 */
final class EmitPane {
    private final VBox root = new VBox();

    EmitPane(ConnectionTabModel model, WorkbenchViewModel workbench) {
        EmitForm form = model.form();
        root.getStyleClass().add("wb-emit");
        TextField event = new TextField();
        event.setId("wb-event");
        event.setPromptText("event name");
        event.setPrefColumnCount(14);
        event.textProperty().bindBidirectional(form.eventProperty());
        TextArea args = new TextArea();
        args.setId("wb-args");
        args.setPromptText(
                "arguments, comma-separated JSON: 1, \"two\", {\"three\": [3]}   ({\"_binary\": \"AQID\"} is bytes)");
        args.setPrefRowCount(2);
        args.getStyleClass().add("wb-json");
        args.textProperty().bindBidirectional(form.argsProperty());
        Label argsError = new Label();
        argsError.setId("wb-args-error");
        argsError.getStyleClass().add("error-text");
        argsError.textProperty().bind(form.argsProblemProperty());
        argsError.visibleProperty().bind(form.argsProblemProperty().isNotEmpty());
        argsError.managedProperty().bind(argsError.visibleProperty());

        CheckBox ack = new CheckBox("Ack, wait (ms)");
        ack.setId("wb-ack");
        ack.selectedProperty().bindBidirectional(form.ackProperty());
        TextField timeout = new TextField();
        timeout.setId("wb-ack-timeout");
        timeout.setPrefColumnCount(5);
        timeout.textProperty().bindBidirectional(form.ackTimeoutProperty());
        timeout.disableProperty().bind(ack.selectedProperty().not());
        Button emit = new Button("Emit");
        emit.setId("wb-emit");
        emit.getStyleClass().add("accent");
        emit.setDefaultButton(false);
        emit.disableProperty()
                .bind(model.connectedProperty()
                        .not()
                        .or(form.eventProperty().isEmpty())
                        .or(form.argsProblemProperty().isNotEmpty()));
        emit.setOnAction(e -> model.emit());
        KeyCombination send = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
        args.setOnKeyPressed(e -> {
            if (send.match(e)) {
                e.consume();
                if (!emit.isDisabled()) {
                    model.emit();
                }
            }
        });

        ComboBox<SavedEmitter> saved = new ComboBox<>(workbench.savedEmitters());
        saved.setId("wb-emitters");
        saved.setPromptText("Saved emitters");
        saved.setOnAction(e -> {
            if (saved.getValue() != null) {
                form.use(saved.getValue());
            }
        });
        Button keep = new Button("Save emitter");
        keep.setId("wb-save-emitter");
        keep.disableProperty().bind(form.eventProperty().isEmpty());
        keep.setOnAction(e -> workbench.saveEmitter(form.toSaved(null)));

        HBox sendRow = new HBox(ack, timeout, emit, saved, keep);
        sendRow.getStyleClass().add("wb-row");

        TextField autoEvent = new TextField();
        autoEvent.setId("wb-auto-event");
        autoEvent.setPromptText("event");
        autoEvent.setPrefColumnCount(10);
        TextField autoReply = new TextField();
        autoReply.setId("wb-auto-reply");
        autoReply.setPromptText("reply JSON, e.g. {\"ok\": true}");
        HBox.setHgrow(autoReply, Priority.ALWAYS);
        Button addAuto = new Button("Auto-reply");
        addAuto.setId("wb-auto-add");
        addAuto.disableProperty().bind(model.connectedProperty().not());
        addAuto.setOnAction(e -> model.autoReply(autoEvent.getText(), autoReply.getText()));
        HBox autoRow = new HBox(new Label("Answer acks of"), autoEvent, new Label("with"), autoReply, addAuto);
        autoRow.getStyleClass().add("wb-row");

        GridPane grid = new GridPane();
        grid.getStyleClass().add("wb-form");
        VBox argsBox = new VBox(2, args, argsError);
        grid.addRow(0, new Label("Emit"), event, argsBox);
        grid.add(sendRow, 1, 1, 2, 1);
        grid.add(autoRow, 1, 2, 2, 1);
        GridPane.setHgrow(argsBox, Priority.ALWAYS);
        javafx.scene.layout.ColumnConstraints fill = new javafx.scene.layout.ColumnConstraints();
        fill.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints()
                .addAll(new javafx.scene.layout.ColumnConstraints(), new javafx.scene.layout.ColumnConstraints(), fill);
        root.getChildren().add(grid);
    }

    VBox node() {
        return root;
    }
}
