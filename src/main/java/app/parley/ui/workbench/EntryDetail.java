package app.parley.ui.workbench;

import app.parley.workbench.LogEntry;
import app.parley.workbench.Payloads;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The selected log entry in full: its arguments as pretty JSON, Send again for an event sent
 * from here, and for an event the server sent with an ack, the answer to type and send.
 */
final class EntryDetail {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final VBox root = new VBox();

    EntryDetail(ConnectionTabModel model) {
        root.getStyleClass().add("wb-detail");
        Label heading = new Label();
        heading.setId("wb-detail-heading");
        heading.getStyleClass().add("wb-heading");
        heading.setWrapText(true);
        heading.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> headingOf(model.selectedProperty().get()), model.selectedProperty()));
        TextArea body = new TextArea();
        body.setId("wb-detail");
        body.setEditable(false);
        body.getStyleClass().add("wb-json");
        body.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> bodyOf(model.selectedProperty().get()), model.selectedProperty()));
        VBox.setVgrow(body, Priority.ALWAYS);

        BooleanBinding resendable = Bindings.createBooleanBinding(
                () -> model.selectedProperty().get() != null
                        && model.selectedProperty().get().resendable(),
                model.selectedProperty());
        Button resend = new Button("Send again");
        resend.setId("wb-resend");
        resend.disableProperty()
                .bind(resendable.not().or(model.connectedProperty().not()));
        resend.setOnAction(e -> model.resend(model.selectedProperty().get()));
        Button edit = new Button("Edit in the emit form");
        edit.setId("wb-copy");
        edit.disableProperty().bind(model.selectedProperty().isNull());
        edit.setOnAction(e -> model.form().copyFrom(model.selectedProperty().get()));
        HBox actions = new HBox(resend, edit);
        actions.getStyleClass().add("wb-row");

        BooleanBinding waits = Bindings.createBooleanBinding(
                () -> model.selectedProperty().get() != null
                        && model.selectedProperty().get().expectsReply(),
                model.selectedProperty());
        Label replyLabel = new Label("The server waits for an answer: JSON arguments");
        TextArea reply = new TextArea();
        reply.setId("wb-reply");
        reply.setPromptText("{\"ok\": true}");
        reply.setPrefRowCount(3);
        reply.getStyleClass().add("wb-json");
        reply.textProperty().bindBidirectional(model.replyProperty());
        Button answer = new Button("Answer");
        answer.setId("wb-answer");
        answer.getStyleClass().add("accent");
        answer.setOnAction(e -> model.answer());
        VBox replyBox = new VBox(replyLabel, reply, answer);
        replyBox.getStyleClass().add("wb-reply-box");
        replyBox.visibleProperty().bind(waits);
        replyBox.managedProperty().bind(waits);

        root.getChildren().addAll(heading, body, actions, replyBox);
    }

    VBox node() {
        return root;
    }

    private static String headingOf(LogEntry e) {
        if (e == null) {
            return "Select an entry to see it in full";
        }
        String rtt = e.rttMillis() >= 0 ? " · " + e.rttMillis() + " ms round trip" : "";
        String what = switch (e.kind()) {
            case ACK -> "ack ← " + e.event();
            case ACK_REPLY -> "ack → " + e.event();
            case ACK_TIMEOUT -> "no ack: " + e.event();
            default -> e.direction().name().toLowerCase(java.util.Locale.ROOT) + " · " + e.event();
        };
        return "#" + e.seq() + " · " + what + " · " + WHEN.format(e.time()) + rtt;
    }

    private static String bodyOf(LogEntry e) {
        if (e == null) {
            return "";
        }
        String args = e.args().isEmpty() ? "(no arguments)" : Payloads.prettyArguments(e.args());
        return e.note().isEmpty() ? args : e.note() + "\n\n" + args;
    }
}
