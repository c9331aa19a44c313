package app.parley.ui.chat;

import app.parley.session.ConnectionState;
import app.parley.ui.look.PreferenceToggles;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;

/**
 * The chat window, the same for host and join mode: identity bar, rooms and people, the
 * conversation with its composer, the event console, and a status bar. Binds to a
 * {@link ChatViewModel}; every action is forwarded to it.
 */
public final class ChatView {
    /**
     * Key, in the conversation list's {@code getProperties()}, of what a drop of files onto it
     * calls (a {@code Consumer<List<File>>}): tests drop files through it, as no robot can fill a
     * drag board with files.
     */
    public static final String DROP_FILES = "parley.dropFiles";

    private final BorderPane root = new BorderPane();
    private final ChatViewModel model;
    private final Consumer<String> linkOpener;
    private final Supplier<String> mentionName;
    /** The host's Sockets window while it is open. */
    private app.parley.ui.sockets.SocketsWindow socketsWindow;

    /** A window whose links open nowhere and where no name counts as a mention (a benchmark's). */
    public ChatView(ChatViewModel model, Runnable onLeave) {
        this(model, url -> {}, () -> "", onLeave);
    }

    /**
     * @param linkOpener  opens a clicked http(s) link in a line, e.g. {@code getHostServices()::showDocument}
     * @param mentionName the name that makes a line from someone else a mention, asked for as lines are shown
     * @param onLeave     runs when the person clicks Leave / Stop hosting
     */
    public ChatView(ChatViewModel model, Consumer<String> linkOpener, Supplier<String> mentionName, Runnable onLeave) {
        this.model = model;
        this.linkOpener = linkOpener;
        this.mentionName = mentionName;
        root.getStyleClass().add("chat-root");
        root.setTop(header(onLeave));
        SplitPane split = new SplitPane(sidebar(), conversation(), console());
        split.setDividerPositions(0.26, 0.77);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        root.setCenter(split);
        root.setBottom(statusBar());
    }

    public Parent root() {
        return root;
    }

    /** One Sockets window per chat: a second click brings it to the front. */
    private void openSockets(Button from) {
        if (socketsWindow != null && socketsWindow.isShowing()) {
            socketsWindow.toFront();
            return;
        }
        model.socketsPane()
                .ifPresent(pane -> socketsWindow = app.parley.ui.sockets.SocketsWindow.open(
                        pane, from.getScene().getWindow()));
    }

    private VBox header(Runnable onLeave) {
        Label id = new Label();
        id.setId("my-id");
        id.getStyleClass().add("my-id");
        id.textProperty()
                .bind(Bindings.when(model.myIdProperty().isEmpty())
                        .then("Not connected")
                        .otherwise(Bindings.concat("You connected with id: ", model.myIdProperty())));
        Button copy = new Button("Copy id");
        copy.setId("copy-id");
        copy.disableProperty().bind(model.myIdProperty().isEmpty());
        copy.setOnAction(
                e -> app.parley.ui.TextClipboard.copy(model.myIdProperty().get()));

        Label state = new Label();
        state.setId("state-badge");
        state.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> model.stateProperty().get().label(), model.stateProperty()));
        model.stateProperty().addListener((obs, old, now) -> styleState(state, now));
        styleState(state, model.stateProperty().get());

        Button leave = new Button(model.hostingProperty().get() ? "Stop hosting" : "Leave");
        leave.setId("leave-button");
        leave.setOnAction(e -> {
            leave.setDisable(true);
            if (socketsWindow != null) {
                socketsWindow.close();
            }
            onLeave.run();
        });

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox identity = new HBox(id, copy, spacer, state, PreferenceToggles.theme(), PreferenceToggles.mute());
        if (model.hostingProperty().get()) {
            Button sockets = new Button("Sockets");
            sockets.setId("sockets-button");
            sockets.setTooltip(new javafx.scene.control.Tooltip(
                    "Every socket connected to this host, live: kick one, move it into or out of a room"));
            sockets.setOnAction(e -> openSockets(sockets));
            identity.getChildren().add(sockets);
        }
        identity.getChildren().add(leave);
        identity.getStyleClass().add("header-row");
        identity.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(identity);
        header.getStyleClass().add("header");

        if (model.hostingProperty().get()) {
            Label joinAt = new Label("Others join at:");
            joinAt.getStyleClass().add("muted");
            HBox addresses = new HBox(joinAt);
            addresses.getStyleClass().add("header-row");
            addresses.setAlignment(Pos.CENTER_LEFT);
            for (String address : model.joinAddresses()) {
                Button link = new Button(address);
                link.getStyleClass().addAll("address", "flat");
                link.setOnAction(e -> app.parley.ui.TextClipboard.copy(address));
                link.setTooltip(new javafx.scene.control.Tooltip("Copy " + address));
                addresses.getChildren().add(link);
            }
            addresses.setId("join-addresses");
            VBox invitations = new VBox(addresses);
            model.browserInvite()
                    .ifPresent(invite -> invitations
                            .getChildren()
                            .add(GuestInviteView.line(
                                    model.browserInvitation(), invite, app.parley.ui.TextClipboard::copy)));
            if (model.certificateFingerprint() != null) {
                Label print = new Label("Certificate SHA-256: " + model.certificateFingerprint());
                print.setId("certificate-fingerprint");
                print.getStyleClass().add("muted");
                print.setTooltip(
                        new javafx.scene.control.Tooltip(
                                "Joiners see this fingerprint the first time they connect; they should compare it with this one."));
                invitations.getChildren().add(print);
            }
            HBox.setHgrow(invitations, Priority.ALWAYS);
            HBox hosting = new HBox(invitations);
            hosting.getStyleClass().add("header-row");
            model.browserInvite().ifPresent(invite -> hosting.getChildren().add(GuestInviteView.qrCode(invite)));
            header.getChildren().add(hosting);
        }
        return header;
    }

    private VBox sidebar() {
        return new Sidebar(model).root();
    }

    private VBox conversation() {
        return new ConversationPane(model, linkOpener, mentionName).root();
    }

    private TitledPane console() {
        ListView<String> events = new ListView<>(model.consoleLines());
        events.setId("event-console");
        events.setPlaceholder(new Label("Custom events appear here"));
        events.getStyleClass().add("console");
        events.setCellFactory(list -> {
            ListCell<String> cell = textCell(line -> line);
            cell.setWrapText(true);
            cell.setPrefWidth(0);
            return cell;
        });
        VBox.setVgrow(events, Priority.ALWAYS);
        TextField name = new TextField();
        name.setId("event-name");
        name.setPromptText("Event name, e.g. custom-event");
        TextField args = new TextField();
        args.setId("event-args");
        args.setPromptText("JSON arguments, e.g. 10, \"Hi\", {\"a\": 1}");
        Label error = new Label();
        error.setId("event-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        Button emit = new Button("Emit");
        emit.setId("emit-event");
        emit.disableProperty().bind(name.textProperty().isEmpty());
        Runnable doEmit = () -> {
            String problem = model.emitCustom(name.getText(), args.getText());
            error.setText(problem == null ? "" : problem);
        };
        emit.setOnAction(e -> doEmit.run());
        args.setOnAction(e -> doEmit.run());
        VBox box = new VBox(events, name, args, emit, error);
        box.getStyleClass().add("console-pane");
        TitledPane pane = new TitledPane("Events", box);
        pane.setCollapsible(false);
        pane.setMaxHeight(Double.MAX_VALUE);
        pane.setMinWidth(220);
        return pane;
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(model.stateDetailProperty());
        Button retry = new Button("Retry now");
        retry.setId("retry-now");
        retry.getStyleClass().add("flat");
        retry.setFocusTraversable(false);
        retry.visibleProperty().bind(model.stateProperty().isEqualTo(ConnectionState.RECONNECTING));
        retry.managedProperty().bind(retry.visibleProperty());
        retry.setOnAction(e -> model.retryNow());
        bar.getLeftItems().add(retry);
        Label endpoint = new Label(model.endpoint());
        endpoint.getStyleClass().add("muted");
        bar.getRightItems().add(new Separator(Orientation.VERTICAL));
        bar.getRightItems().add(endpoint);
        return bar;
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("panel-heading");
        return label;
    }

    private static <T> ListCell<T> textCell(java.util.function.Function<T, String> text) {
        return new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        };
    }

    private static void styleState(Label badge, ConnectionState state) {
        badge.getStyleClass().removeIf(c -> c.startsWith("state-"));
        badge.getStyleClass().addAll("state-badge", "state-" + state.name().toLowerCase(java.util.Locale.ROOT));
    }
}
