package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.session.BrowserInvite;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.HostedSession;
import app.parley.session.SessionEvent;
import app.parley.ui.lines.ConversationLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the chat window shows and does, with no {@code Node} in sight: the same for host
 * and join mode. Session events arrive through {@code ui}, the single hop onto the UI thread.
 *
 * <p>The window is a set of {@link Conversation}s (everyone, each room, each direct conversation);
 * one is selected, and the composer writes to it.
 */
public final class ChatViewModel {
    /** Messages per history page. */
    static final int PAGE = 50;

    private final ChatSession session;
    private final Executor ui;
    private BiConsumer<String, String> notifier = (title, text) -> {};

    // Properties //
    private final ReadOnlyBooleanWrapper hosting;
    private final PeopleModel people = new PeopleModel();
    private final ConversationDirectory conversations = new ConversationDirectory(people, this::loadLatest);
    private final Conversation everyone = conversations.everyone();
    private final ObjectProperty<Conversation> selected = new SimpleObjectProperty<>(everyone);
    private final ObservableList<String> rooms = FXCollections.observableArrayList();
    private final ObservableList<String> joinAddresses = FXCollections.observableArrayList();
    private final String certificateFingerprint;
    private final BrowserInvite browserInvite;
    private final BooleanProperty announce = new SimpleBooleanProperty(false);
    private final LineMaker lines = new LineMaker(people);
    private final OwnMessages own;
    private final HistoryPages history;
    private final EventConsole console;
    private final PresenceNotices presence = new PresenceNotices(people, conversations);
    private final ConnectionStatus status = new ConnectionStatus(people, conversations, presence, this::loadLatest);
    private final StringProperty draft = new SimpleStringProperty("");
    private final FileSharing files;

    /** Someone connected: a socket id and the name they go by (null when they have none). */
    public record Person(String id, String name) {
        public String label() {
            return name != null ? name : id;
        }
    }

    /** A window that shows pictures as cards (it has no cache to fetch them into) and does disk work on the caller's thread. */
    public ChatViewModel(ChatSession session, Executor ui) {
        this(session, ui, Runnable::run, null);
    }

    /**
     * @param io        for disk work (checking, writing pasted pictures): never the UI thread in the app
     * @param fileCache where pictures are fetched to be shown (under their SHA-256) and pasted ones
     *                  written before they are sent; null for none
     */
    public ChatViewModel(ChatSession session, Executor ui, Executor io, java.nio.file.Path fileCache) {
        this.session = session;
        this.ui = ui;
        this.files = new FileSharing(session, ui, io, fileCache, lines);
        this.own = new OwnMessages(session, ui, lines);
        this.history = new HistoryPages(session, ui, lines, people);
        this.console = new EventConsole(session);
        this.hosting = new ReadOnlyBooleanWrapper(session instanceof HostedSession);
        if (session instanceof HostedSession hosted) {
            joinAddresses.setAll(hosted.joinAddresses());
            certificateFingerprint = hosted.certificateFingerprint().orElse(null);
            browserInvite = hosted.browserInvite().orElse(null);
        } else {
            certificateFingerprint = null;
            browserInvite = null;
        }
        selected.addListener((obs, old, now) -> {
            if (old != null) {
                session.typing(old.target(), false);
            }
            if (now != null) {
                now.markRead();
                loadLatest(now);
            }
        });
        draft.addListener((obs, old, now) -> {
            Conversation here = selected.get();
            if (here != null && !announce.get()) {
                session.typing(here.target(), now != null && !now.isBlank());
            }
        });
        EventInbox inbox = new EventInbox(ui, conversations::of, this::deliver, this::apply);
        session.addListener(inbox::arrive);
    }

    public ReadOnlyStringProperty myIdProperty() {
        return status.myIdProperty();
    }

    /** The name the host granted us; empty before it said (or when it knows no names). */
    public ReadOnlyStringProperty myNameProperty() {
        return status.myNameProperty();
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return status.stateProperty();
    }

    public ReadOnlyStringProperty stateDetailProperty() {
        return status.stateDetailProperty();
    }

    /** What the people list says while it is empty. */
    public StringExpression peoplePlaceholder() {
        return status.peoplePlaceholder();
    }

    public ReadOnlyBooleanProperty hostingProperty() {
        return hosting.getReadOnlyProperty();
    }

    public ObservableList<Conversation> conversations() {
        return conversations.all();
    }

    public ObjectProperty<Conversation> selectedProperty() {
        return selected;
    }

    /** The lines of the selected conversation. */
    public ObservableList<ConversationLine> conversation() {
        return selected.get().lines();
    }

    public ObservableList<Person> people() {
        return people.people();
    }

    public ObservableList<String> rooms() {
        return rooms;
    }

    public ObservableList<String> consoleLines() {
        return console.lines();
    }

    /** The hosted session's TLS certificate fingerprint, or null when not hosting over TLS. */
    public String certificateFingerprint() {
        return certificateFingerprint;
    }

    public ObservableList<String> joinAddresses() {
        return joinAddresses;
    }

    /** Host only, when it serves its web client: the address guests without Parley open, and its QR code. */
    public Optional<BrowserInvite> browserInvite() {
        return Optional.ofNullable(browserInvite);
    }

    /** What the window says of {@link #browserInvite()}, or empty when there is none. */
    public String browserInvitation() {
        return browserInvite == null ? "" : "Guests can open " + browserInvite.address() + " in a browser";
    }

    /**
     * Host only: a new Sockets pane model over this host's sockets (every call makes one; the
     * window that shows it closes it), or empty when not hosting.
     */
    public Optional<app.parley.ui.sockets.SocketsViewModel> socketsPane() {
        if (!(session instanceof HostedSession hosted)) {
            return Optional.empty();
        }
        return hosted.socketInventory()
                .map(inventory -> new app.parley.ui.sockets.SocketsViewModel(
                        inventory, hosted::socketControl, session::socketId, ui, System::nanoTime));
    }

    /** Host only: the composer announces to everyone, the host's own window included. */
    public BooleanProperty announceProperty() {
        return announce;
    }

    public StringProperty draftProperty() {
        return draft;
    }

    /** Own messages that were not delivered (each line says "failed"); {@link #retryFailed()} sends them again. */
    public javafx.beans.property.ReadOnlyIntegerProperty failedCountProperty() {
        return own.failedCountProperty();
    }

    public String endpoint() {
        return session.endpoint();
    }

    /** Files going up or coming down, and failed ones until dismissed. */
    public ObservableList<TransferRow> transfers() {
        return files.transfers();
    }

    /** Where the picture a line carries stands; asking starts fetching it into the cache. */
    public PictureSlot picture(app.parley.ui.lines.Attachment file) {
        return files.picture(file);
    }

    /** The name people read for a socket id. */
    public String labelOf(String socketId) {
        return people.labelOf(socketId);
    }

    // Commands //

    /**
     * Called (on the UI thread) when the session ends before it ever connected: a wrong password,
     * a changed certificate. The window goes back to where the person can fix it.
     */
    public void onRefusedAtTheDoor(Consumer<String> action) {
        status.onRefusedAtTheDoor(action);
    }

    /** Receives (title, text) for what deserves a notification: direct messages and mentions. */
    public void onNotify(BiConsumer<String, String> action) {
        notifier = action;
    }

    /** Connects; call once after the view is shown. Messages left in the outbox show as sending. */
    public void open() {
        for (var pending : session.pending()) {
            own.send(pending.clientId(), conversations.of(pending.target()), pending.target(), pending.text());
        }
        session.open();
    }

    /** While reconnecting: try now instead of waiting for the next attempt. */
    public void retryNow() {
        session.retryNow();
    }

    /** Sends every failed message again, with its own client id (the host stores each once). */
    public void retryFailed() {
        own.retryFailed();
    }

    public void select(Conversation conversation) {
        if (conversation != null) {
            selected.set(conversation);
        }
    }

    /** Sends the draft to the selected conversation and clears it; blank drafts do nothing. */
    public void send() {
        String text = draft.get() == null ? "" : draft.get().strip();
        if (text.isEmpty()) {
            return;
        }
        Conversation here = selected.get();
        draft.set("");
        if (announce.get() && session instanceof HostedSession hosted) {
            try {
                hosted.announce(text);
            } catch (IllegalArgumentException e) {
                here.lines().add(ConversationLine.notice("Not announced: " + e.getMessage()));
            }
            return;
        }
        own.send(java.util.UUID.randomUUID().toString(), here, here.target(), text);
    }

    public void joinRoom(String room) {
        String name = room == null ? "" : room.strip();
        if (name.isEmpty()) {
            return;
        }
        session.joinRoom(name)
                .whenComplete((ack, failure) -> ui.execute(() -> {
                    if (failure == null) {
                        Conversation conversation = conversations.room(name);
                        conversation.lines().add(ConversationLine.notice(ack));
                        selected.set(conversation);
                    } else {
                        selected.get().lines().add(ConversationLine.notice(reason(failure)));
                    }
                }));
    }

    public void leaveRoom(String room) {
        session.leaveRoom(room)
                .whenComplete((ack, failure) -> ui.execute(
                        () -> everyone.lines().add(ConversationLine.notice(failure == null ? ack : reason(failure)))));
    }

    /** Opens (or returns to) the direct conversation with one person; not with oneself. */
    public void messagePerson(String socketId) {
        if (socketId == null || socketId.equals(status.myId())) {
            return;
        }
        selected.set(conversations.direct(socketId));
    }

    /** Asks the host for another name; the outcome shows as a line. */
    public void rename(String name) {
        String wanted = name == null ? "" : name.strip();
        session.rename(wanted)
                .whenComplete((granted, failure) -> ui.execute(() -> selected.get()
                        .lines()
                        .add(ConversationLine.notice(failure == null ? "You are now " + granted : reason(failure)))));
    }

    /** Sends files to the selected conversation (attach, drop): the same target the composer writes to. */
    public void sendFiles(List<java.nio.file.Path> paths) {
        files.send(selected.get(), paths);
    }

    /**
     * Sends a picture pasted into the composer, given as {@code PixelFormat.getIntArgbInstance()}
     * pixels: written as a PNG into the cache (off the UI thread), then sent like a file.
     */
    public void sendPicture(int width, int height, int[] argb) {
        files.sendPicture(selected.get(), width, height, argb);
    }

    /** Saves a shared file where the person chose in a save dialog; only ever on their asking. */
    public void saveFile(app.parley.ui.lines.Attachment file, java.nio.file.Path destination) {
        files.save(file, destination);
    }

    /** ×: stops a transfer, or takes a failed one's row away. */
    public void cancelTransfer(TransferRow row) {
        files.cancel(row);
    }

    /** Loads the page before the oldest line of the selected conversation, if there is one. */
    public void loadOlder() {
        history.older(selected.get());
    }

    /**
     * Emits a custom event; {@code argumentsJson} is a comma-separated list of JSON values.
     *
     * @return null when sent, else the reason it was not
     */
    public String emitCustom(String event, String argumentsJson) {
        return console.emit(event, argumentsJson);
    }

    /** Leaves (or stops hosting). Blocks briefly while sockets close: call off the UI thread. */
    public void close() {
        session.close();
    }

    // Events //

    /** Messages that arrived together for one conversation: one list change for all of them. */
    private void deliver(Conversation conversation, List<ChatMessage> messages) {
        List<ConversationLine> shown = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            shown.add(lines.of(message));
        }
        conversation.append(shown, messages);
        if (conversation != selected.get()) {
            conversation.countUnread(shown.size());
        }
        notifyAbout(conversation, messages.get(messages.size() - 1));
    }

    private void apply(SessionEvent event) {
        if (event instanceof SessionEvent.Connected connected) {
            status.connected(connected);
        } else if (event instanceof SessionEvent.StateChanged changed) {
            status.stateChanged(changed);
        } else if (event instanceof SessionEvent.PeersChanged changed) {
            status.peers(changed);
        } else if (event instanceof SessionEvent.RoomMembersChanged members) {
            presence.roomMembers(members, status.myId());
        } else if (event instanceof SessionEvent.TypingChanged typing) {
            conversations.find(typing.conversation()).ifPresent(c -> c.setTyping(typing.names()));
        } else if (event instanceof SessionEvent.RoomsChanged changed) {
            rooms.setAll(changed.rooms());
            conversations.rooms(changed.rooms());
            if (!conversations.all().contains(selected.get())) {
                selected.set(everyone);
            }
        } else if (event instanceof SessionEvent.TransferProgress progress) {
            files.progress(progress);
        } else if (event instanceof SessionEvent.CustomEventReceived custom) {
            console.received(custom);
        } else if (event instanceof SessionEvent.Notice notice) {
            selected.get().lines().add(ConversationLine.notice(notice.text()));
        }
    }

    /** Who is in the room now, by name; empty when the server does not say. */
    public List<String> membersOf(String room) {
        return people.membersOf(room);
    }

    private void notifyAbout(Conversation conversation, ChatMessage message) {
        String me = status.myName();
        boolean mention = !me.isEmpty() && Mentions.mentions(message.text(), me);
        if (message.kind() == MessageKind.DIRECT || mention) {
            notifier.accept(
                    message.senderLabel() + (mention ? " mentioned you in " : " in ") + conversation.title(),
                    message.text());
        }
    }

    private void loadLatest(Conversation conversation) {
        history.latest(conversation);
    }

    static String reason(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
