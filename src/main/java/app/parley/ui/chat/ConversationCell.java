package app.parley.ui.chat;

import app.parley.ui.lines.Attachment;
import app.parley.ui.lines.ConversationLine;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One conversation line: time, sender, where it went, text with clickable web links, and for own
 * messages its state. A message that continues the one above it (same sender, within five
 * minutes, {@link LineGrouping}) leaves its heading out ({@code :continued}); a message from
 * someone else that names you is highlighted ({@code :mention}).
 *
 * <p>Links open through a link opener, and "you" is a name supplier: set once for the app with
 * {@link #setLinkOpener} and {@link #setMentionName}, or given to the constructor.
 */
final class ConversationCell extends ListCell<ConversationLine> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private static final Map<ConversationLine.Kind, PseudoClass> KIND_STATES = kindStates();
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass CONTINUED = PseudoClass.getPseudoClass("continued");
    private static final PseudoClass MENTION = PseudoClass.getPseudoClass("mention");

    private final Consumer<String> linkOpener;
    private final Supplier<String> mentionName;
    private final AttachmentViews attachments;
    /** The file this cell shows and its node, kept while the cell shows the same file. */
    private Attachment shownFile;

    private Node fileNode;

    private final Label time = styled("line-time");
    private final Label sender = styled("line-sender");
    private final Label scope = styled("line-scope");
    private final Label status = styled("line-status");
    /** The words; a plain message reuses one Text node, only messages with links build more. */
    private final TextFlow text = new TextFlow();

    private final Text plain = new Text();
    private final HBox heading = new HBox(sender, scope, time, status);
    private final VBox box;
    private final MenuItem copyLink = new MenuItem("Copy link");
    private String linkUnderMenu;

    /**
     * @param linkOpener  opens a clicked http(s) link, e.g. {@code getHostServices()::showDocument}
     * @param mentionName the name that counts as a mention of the person using this window
     */
    public ConversationCell(Consumer<String> linkOpener, Supplier<String> mentionName) {
        this(linkOpener, mentionName, null);
    }

    /** @param attachments draws the files lines carry; null shows their text only */
    ConversationCell(Consumer<String> linkOpener, Supplier<String> mentionName, AttachmentViews attachments) {
        this.attachments = attachments;
        this.linkOpener = Objects.requireNonNull(linkOpener, "linkOpener");
        this.mentionName = Objects.requireNonNull(mentionName, "mentionName");
        text.getStyleClass().add("line-text");
        plain.getStyleClass().add("text");
        heading.getStyleClass().add("line-heading");
        box = new VBox(heading, text);
        box.getStyleClass().add("line");
        HBox.setHgrow(box, Priority.ALWAYS);
        MenuItem copy = new MenuItem("Copy text");
        copy.setOnAction(e -> {
            if (getItem() != null) {
                app.parley.ui.TextClipboard.copy(getItem().text());
            }
        });
        copyLink.setOnAction(e -> {
            if (linkUnderMenu != null) {
                app.parley.ui.TextClipboard.copy(linkUnderMenu);
            }
        });
        setContextMenu(new ContextMenu(copyLink, copy));
        // A filter runs before the cell shows its menu: offer "Copy link" only over a link.
        addEventFilter(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            linkUnderMenu = linkAt(e.getPickResult().getIntersectedNode());
            copyLink.setVisible(linkUnderMenu != null);
        });
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
        boolean continued = LineGrouping.continues(previous(), line);
        box.pseudoClassStateChanged(CONTINUED, continued);
        // CSS styles a continued line but cannot take the heading out of layout, and the list
        // measures a cell before the new pseudo-class is styled: unmanaged, it never leaves a gap.
        heading.setManaged(!continued);
        heading.setVisible(!continued);
        box.pseudoClassStateChanged(
                MENTION,
                line.kind() == ConversationLine.Kind.OTHER && Mentions.mentions(line.text(), mentionName.get()));
        boolean notice = line.kind() == ConversationLine.Kind.NOTICE;
        sender.setText(notice ? "" : line.sender());
        sender.setManaged(!notice);
        scope.setText(notice || line.scope().isEmpty() ? "" : "→ " + line.scope());
        time.setText(TIME.format(line.time()));
        status.setText(line.status().isEmpty() ? "" : "· " + line.status());
        showFileOrText(line);
        setGraphic(box);
    }

    private ConversationLine previous() {
        int index = getIndex();
        List<ConversationLine> items =
                getListView() == null ? null : getListView().getItems();
        return items == null || index < 1 || index > items.size() ? null : items.get(index - 1);
    }

    private void showFileOrText(ConversationLine line) {
        Attachment file = attachments == null ? null : line.attachment();
        if (file == null) {
            if (box.getChildren().get(1) != text) {
                box.getChildren().set(1, text);
            }
            showText(line.text());
            return;
        }
        if (!file.equals(shownFile)) {
            shownFile = file;
            fileNode = attachments.of(file);
        }
        if (box.getChildren().get(1) != fileNode) {
            box.getChildren().set(1, fileNode);
        }
    }

    private void showText(String words) {
        if (!Links.hasLink(words)) {
            plain.setText(words);
            if (text.getChildren().size() != 1 || text.getChildren().get(0) != plain) {
                text.getChildren().setAll(plain);
            }
            return;
        }
        List<Node> pieces = new ArrayList<>();
        for (Links.Segment segment : Links.split(words)) {
            pieces.add(segment.link() ? link(segment.text()) : words(segment.text()));
        }
        text.getChildren().setAll(pieces);
    }

    private Hyperlink link(String url) {
        Hyperlink link = new Hyperlink(url);
        link.setFocusTraversable(false); // the composer keeps the focus
        link.setOnAction(e -> linkOpener.accept(url));
        return link;
    }

    private static Text words(String words) {
        Text piece = new Text(words);
        piece.getStyleClass().add("text");
        return piece;
    }

    private static String linkAt(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n instanceof Hyperlink link) {
                return link.getText();
            }
        }
        return null;
    }

    /** {@code :own}, {@code :other}, {@code :announcement}, {@code :notice} (parley.css). */
    private static Map<ConversationLine.Kind, PseudoClass> kindStates() {
        Map<ConversationLine.Kind, PseudoClass> states = new EnumMap<>(ConversationLine.Kind.class);
        for (ConversationLine.Kind kind : ConversationLine.Kind.values()) {
            states.put(kind, PseudoClass.getPseudoClass(kind.name().toLowerCase(Locale.ROOT)));
        }
        return states;
    }

    private static Label styled(String styleClass) {
        Label label = new Label();
        label.getStyleClass().add(styleClass);
        return label;
    }
}
