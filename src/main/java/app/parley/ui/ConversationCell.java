package app.parley.ui;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.css.PseudoClass;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** One conversation line: time, sender, where it went, text, and for own messages its state. */
final class ConversationCell extends ListCell<ConversationLine> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private static final java.util.Map<ConversationLine.Kind, PseudoClass> KIND_STATES = kindStates();
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final Label time = styled("line-time");
    private final Label sender = styled("line-sender");
    private final Label scope = styled("line-scope");
    private final Label status = styled("line-status");
    private final Label text = styled("line-text");
    private final VBox box;

    ConversationCell() {
        text.setWrapText(true);
        HBox heading = new HBox(sender, scope, time, status);
        heading.getStyleClass().add("line-heading");
        box = new VBox(heading, text);
        box.getStyleClass().add("line");
        HBox.setHgrow(box, Priority.ALWAYS);
        MenuItem copy = new MenuItem("Copy text");
        copy.setOnAction(e -> {
            if (getItem() != null) {
                ClipboardContent content = new ClipboardContent();
                content.putString(getItem().text());
                Clipboard.getSystemClipboard().setContent(content);
            }
        });
        setContextMenu(new ContextMenu(copy));
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(ConversationLine line, boolean empty) {
        super.updateItem(line, empty);
        if (empty || line == null) {
            setGraphic(null);
            return;
        }
        // Pseudo-classes, not style classes: a cell is reused for line after line while messages
        // stream in, and changing a style class re-runs CSS for the whole cell every time.
        for (ConversationLine.Kind kind : ConversationLine.Kind.values()) {
            box.pseudoClassStateChanged(KIND_STATES.get(kind), kind == line.kind());
        }
        box.pseudoClassStateChanged(FAILED, "failed".equals(line.status()));
        boolean notice = line.kind() == ConversationLine.Kind.NOTICE;
        sender.setText(notice ? "" : line.sender());
        sender.setManaged(!notice);
        scope.setText(notice || line.scope().isEmpty() ? "" : "→ " + line.scope());
        time.setText(TIME.format(line.time()));
        status.setText(line.status().isEmpty() ? "" : "· " + line.status());
        text.setText(line.text());
        setGraphic(box);
    }

    /** {@code :own}, {@code :other}, {@code :announcement}, {@code :notice} (parley.css). */
    private static java.util.Map<ConversationLine.Kind, PseudoClass> kindStates() {
        java.util.Map<ConversationLine.Kind, PseudoClass> states = new java.util.EnumMap<>(ConversationLine.Kind.class);
        for (ConversationLine.Kind kind : ConversationLine.Kind.values()) {
            states.put(kind, PseudoClass.getPseudoClass(kind.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return states;
    }

    private static Label styled(String styleClass) {
        Label label = new Label();
        label.getStyleClass().add(styleClass);
        return label;
    }
}
