package app.parley.ui.chat;

import app.parley.ui.lines.ConversationLine;
import app.parley.ui.lines.TailWindow;
import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The selected conversation: its title and search, its lines (older pages load when you scroll to
 * the top), who is typing, and the composer (Enter sends, Shift+Enter starts a new line, Tab
 * completes a name, Ctrl+K jumps to a conversation or person, Ctrl+F searches).
 */
final class ConversationPane {
    private static final KeyCombination SEARCH = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);
    /** Material Design's "attach file" icon (Apache License 2.0), 24 × 24. */
    private static final String PAPERCLIP = "M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5c0-1.38 1.12-2.5 2.5-2.5s2.5"
            + " 1.12 2.5 2.5v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5c0 1.38 1.12 2.5 2.5 2.5s2.5-1.12 2.5-2.5V5"
            + "c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z";

    private static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");
    private static final KeyCombination JUMP = new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN);
    /**
     * Lines the list shows at most while following the bottom. The rest stay in the conversation
     * and come into view as the person scrolls up ({@link TailWindow}).
     */
    static final int WINDOW_LINES = 1_000;
    /** Lines brought into view each time the person scrolls up to the window's top. */
    static final int MORE_LINES = 200;
    /**
     * JavaFX's list logs "index exceeds maxCellCount" (INFO, two lines on the terminal) each time
     * the last line of a list it keeps scrolled to the bottom ends above the bottom edge for a
     * layout pass, which lines of many heights arriving fast make happen hundreds of times a
     * minute. It then stops adding empty rows, which is all that is wanted here; warnings still
     * show. Held here: the logging framework keeps only weak references to loggers.
     */
    private static final java.util.logging.Logger LIST_LOG = java.util.logging.Logger.getLogger("javafx.scene.control");

    static {
        LIST_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final ChatViewModel model;
    /** What every cell of the list is made with: see {@link ConversationCell}. */
    private final Consumer<String> linkOpener;

    private final Supplier<String> mentionName;
    private final AttachmentViews attachments;
    private final VBox root;
    private final ListView<ConversationLine> lines = new ListView<>();
    private final TextField search = new TextField();
    private final TextArea input = new TextArea();
    /** Follows the shown lines to keep the view at the bottom as they arrive. */
    private final ListChangeListener<ConversationLine> follow = this::follow;
    /** What the list shows: the tail of the selected conversation (or of what the search found). */
    private TailWindow<ConversationLine> shown;

    private boolean rescrollPending;

    ConversationPane(ChatViewModel model, Consumer<String> linkOpener, Supplier<String> mentionName) {
        this.model = model;
        this.linkOpener = linkOpener;
        this.mentionName = mentionName;
        this.attachments = new AttachmentViews(model);
        root = new VBox(
                titleRow(),
                conversationList(),
                typingLine(),
                undelivered(),
                new TransferStrip(model).root(),
                composer());
        root.getStyleClass().add("conversation-pane");
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (SEARCH.match(e)) {
                e.consume();
                search.requestFocus();
            } else if (JUMP.match(e)) {
                e.consume();
                new QuickSwitcher(model).show(root);
            }
        });
    }

    VBox root() {
        return root;
    }

    private HBox titleRow() {
        Label title = new Label();
        title.setId("conversation-title");
        title.getStyleClass().add("conversation-title");
        title.textProperty().bind(Bindings.selectString(model.selectedProperty(), "title"));
        search.setId("search-field");
        search.setPromptText("Search this conversation (Ctrl+F)");
        search.setPrefColumnCount(18);
        search.textProperty().addListener((obs, old, now) -> showSelected());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                search.clear();
                input.requestFocus();
            }
        });
        Label members = new Label();
        members.setId("room-members");
        members.getStyleClass().add("muted");
        members.textProperty().bind(Bindings.selectString(model.selectedProperty(), "members"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox row = new HBox(title, members, spacer, search);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("conversation-header");
        return row;
    }

    private ListView<ConversationLine> conversationList() {
        lines.setId("conversation");
        lines.setCellFactory(list -> new ConversationCell(linkOpener, mentionName, attachments));
        lines.setPlaceholder(new Label("No messages yet"));
        lines.getStyleClass().add("conversation");
        model.selectedProperty().addListener((obs, old, now) -> {
            search.clear();
            showSelected();
        });
        showSelected();
        // Scrolling up at the top shows more of what is loaded, then asks for the page before it.
        lines.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0 && isTopVisible()) {
                if (shown.hasMore()) {
                    shown.showMore(MORE_LINES);
                } else {
                    model.loadOlder();
                }
            }
        });
        acceptDroppedFiles();
        VBox.setVgrow(lines, Priority.ALWAYS);
        return lines;
    }

    /** Files dropped onto the conversation go to it; the list is highlighted while files hover over it. */
    private void acceptDroppedFiles() {
        Consumer<List<File>> drop =
                files -> model.sendFiles(files.stream().map(File::toPath).toList());
        lines.getProperties().put(ChatView.DROP_FILES, drop);
        lines.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        lines.setOnDragEntered(
                e -> lines.pseudoClassStateChanged(DROP_TARGET, e.getDragboard().hasFiles()));
        lines.setOnDragExited(e -> lines.pseudoClassStateChanged(DROP_TARGET, false));
        lines.setOnDragDropped(e -> {
            boolean files = e.getDragboard().hasFiles();
            if (files) {
                drop.accept(e.getDragboard().getFiles());
            }
            lines.pseudoClassStateChanged(DROP_TARGET, false);
            e.setDropCompleted(files);
            e.consume();
        });
    }

    private void showSelected() {
        Conversation conversation = model.selectedProperty().get();
        ObservableList<ConversationLine> all = conversation.lines();
        if (shown != null) {
            shown.removeListener(follow);
        }
        String query = search.getText() == null ? "" : search.getText().strip().toLowerCase(Locale.ROOT);
        if (query.isEmpty()) {
            shown = new TailWindow<>(all, WINDOW_LINES);
            shown.addListener(follow);
            lines.setItems(shown);
            lines.scrollTo(Math.max(0, shown.size() - 1));
        } else {
            shown = new TailWindow<>(
                    new FilteredList<>(
                            all,
                            line -> line.text().toLowerCase(Locale.ROOT).contains(query)
                                    || (line.sender() != null
                                            && line.sender()
                                                    .toLowerCase(Locale.ROOT)
                                                    .contains(query))),
                    WINDOW_LINES);
            lines.setItems(shown);
        }
    }

    /**
     * New lines at the end: follow them (also when so many came that the whole window turned
     * over); lines shown above (an older page, more of the window): keep what was on screen; a
     * line changed in place (its status): stay.
     */
    private void follow(ListChangeListener.Change<? extends ConversationLine> change) {
        while (change.next()) {
            if (!change.wasAdded()) {
                continue;
            }
            boolean toTheEnd = change.getTo() == change.getList().size();
            if (change.wasReplaced()) {
                if (change.getFrom() == 0 && toTheEnd) {
                    toTheBottom();
                }
            } else if (change.getFrom() == 0 && !toTheEnd) {
                lines.scrollTo(change.getTo());
            } else {
                toTheBottom();
            }
        }
    }

    /**
     * Shows the last line, and again on the next pulse: the list places it by estimated heights,
     * and a picture or a file card is far taller than the text lines it estimates from, which left
     * the newest line just below the edge. One extra scroll per pulse at most, however many arrive.
     */
    private void toTheBottom() {
        lines.scrollTo(lines.getItems().size() - 1);
        if (!rescrollPending) {
            rescrollPending = true;
            Platform.runLater(() -> {
                rescrollPending = false;
                if (!lines.getItems().isEmpty()) {
                    lines.scrollTo(lines.getItems().size() - 1);
                }
            });
        }
    }

    private boolean isTopVisible() {
        var flow = lines.lookup(".virtual-flow");
        if (flow instanceof javafx.scene.control.skin.VirtualFlow<?> virtual) {
            var first = virtual.getFirstVisibleCell();
            return first == null || first.getIndex() == 0;
        }
        return false;
    }

    private Label typingLine() {
        Label typing = new Label();
        typing.setId("typing-line");
        typing.getStyleClass().add("typing-line");
        typing.textProperty().bind(Bindings.selectString(model.selectedProperty(), "typing"));
        return typing;
    }

    /** "2 messages not delivered — Retry", while there are any. */
    private HBox undelivered() {
        Label what = new Label();
        what.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> model.failedCountProperty().get() == 1
                                ? "1 message was not delivered."
                                : model.failedCountProperty().get() + " messages were not delivered.",
                        model.failedCountProperty()));
        Button retry = new Button("Retry");
        retry.setId("retry-failed");
        retry.setOnAction(e -> model.retryFailed());
        HBox bar = new HBox(what, retry);
        bar.setId("undelivered");
        bar.getStyleClass().add("undelivered");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.visibleProperty().bind(model.failedCountProperty().greaterThan(0));
        bar.managedProperty().bind(bar.visibleProperty());
        return bar;
    }

    private HBox composer() {
        input.setId("message-input");
        input.setPromptText("Message — Enter sends, Shift+Enter new line, Tab completes a name");
        input.setWrapText(true);
        input.setPrefRowCount(2);
        input.textProperty().bindBidirectional(model.draftProperty());
        input.addEventFilter(KeyEvent.KEY_PRESSED, this::composerKey);
        // The composer has the focus when the chat opens: typing goes into a message, never to a
        // button (a space would press whichever one had the focus, "Stop hosting" included).
        input.sceneProperty().addListener((obs, was, scene) -> {
            if (scene != null) {
                Platform.runLater(input::requestFocus);
            }
        });
        model.selectedProperty().addListener((obs, old, now) -> Platform.runLater(input::requestFocus));
        HBox.setHgrow(input, Priority.ALWAYS);
        Button attach = new Button();
        // Drawn, not a 📎 character: not every system font has the emoji (it showed as a box).
        javafx.scene.shape.SVGPath clip = new javafx.scene.shape.SVGPath();
        clip.setContent(PAPERCLIP);
        clip.getStyleClass().add("attach-icon");
        attach.setGraphic(clip);
        attach.setAccessibleText("Attach files");
        attach.setId("attach-button");
        attach.getStyleClass().add("attach");
        attach.setTooltip(new javafx.scene.control.Tooltip("Send files to this conversation (or drop them on it)"));
        attach.setFocusTraversable(false);
        attach.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Send files to " + model.selectedProperty().get().title());
            List<File> chosen = chooser.showOpenMultipleDialog(root.getScene().getWindow());
            if (chosen != null && !chosen.isEmpty()) {
                model.sendFiles(chosen.stream().map(File::toPath).toList());
            }
        });
        Button send = new Button("Send");
        send.setId("send-button");
        send.getStyleClass().add("accent");
        send.disableProperty().bind(model.draftProperty().isEmpty());
        send.setOnAction(e -> model.send());
        HBox composer = new HBox(attach, input);
        if (model.hostingProperty().get()) {
            ToggleButton announce = new ToggleButton("Announce");
            announce.setId("announce");
            announce.setTooltip(new javafx.scene.control.Tooltip(
                    "Send to everyone, this window included, as the host (Node: io.emit)"));
            announce.selectedProperty().bindBidirectional(model.announceProperty());
            composer.getChildren().add(announce);
        }
        composer.getChildren().add(send);
        // The text area grows; the buttons keep their words.
        composer.getChildren().forEach(node -> {
            if (node instanceof javafx.scene.control.ButtonBase button) {
                button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        });
        composer.getStyleClass().add("composer");
        composer.setAlignment(Pos.CENTER_LEFT);
        return composer;
    }

    private void composerKey(KeyEvent e) {
        if (PASTE.match(e) && pasteFilesOrPicture()) {
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER) {
            e.consume();
            if (e.isShiftDown()) {
                input.insertText(input.getCaretPosition(), "\n");
            } else {
                model.send();
            }
        } else if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
            e.consume();
            List<String> names = model.people().stream()
                    .filter(p -> !p.id().equals(model.myIdProperty().get()))
                    .map(ChatViewModel.Person::label)
                    .toList();
            Mentions.complete(input.getText(), input.getCaretPosition(), names).ifPresent(done -> {
                model.draftProperty().set(done.text());
                input.positionCaret(done.caret());
            });
        }
    }

    /**
     * Ctrl+V with files on the clipboard sends them; with a picture and no text (a screenshot),
     * sends the picture as a PNG. Anything with text pastes as text, as before.
     *
     * @return whether the paste was taken here
     */
    private boolean pasteFilesOrPicture() {
        Clipboard clipboard = Clipboard.getSystemClipboard();
        if (clipboard.hasFiles()) {
            model.sendFiles(clipboard.getFiles().stream().map(File::toPath).toList());
            return true;
        }
        if (clipboard.hasImage() && !clipboard.hasString()) {
            Image image = clipboard.getImage();
            if (image == null || image.getPixelReader() == null) {
                return false;
            }
            int width = (int) image.getWidth();
            int height = (int) image.getHeight();
            if (width <= 0 || height <= 0) {
                return false;
            }
            int[] argb = new int[width * height];
            image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
            model.sendPicture(width, height, argb);
            return true;
        }
        return false;
    }
}
