package app.parley.ui;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.JsonText;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.HostedSession;
import app.parley.session.SessionEvent;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the chat window shows and does, with no {@code Node} in sight: the same for host
 * and join mode. Session events arrive through {@code ui}, the single hop onto the UI thread.
 */
public final class ChatViewModel {
    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ChatSession session;
    private boolean everConnected;
    private java.util.function.Consumer<String> refusedAtTheDoor = detail -> { };
    private final Executor ui;
    /** Events not yet applied, oldest first; drained on the UI thread, a bounded slice per turn. */
    private final java.util.concurrent.ConcurrentLinkedQueue<SessionEvent> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** At most this many events per turn of the UI thread, so a backlog never freezes the window. */
    private static final int EVENTS_PER_TURN = 2_000;

    // Properties //
    private final ReadOnlyStringWrapper myId = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>(ConnectionState.CONNECTING);
    private final ReadOnlyStringWrapper stateDetail = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper hosting;
    private final ObservableList<ConversationLine> conversation = FXCollections.observableArrayList();
    private final ObservableList<String> people = FXCollections.observableArrayList();
    private final ObservableList<String> rooms = FXCollections.observableArrayList();
    private final ObservableList<TargetChoice> targets = FXCollections.observableArrayList();
    private final ObservableList<String> consoleLines = FXCollections.observableArrayList();
    private final ObservableList<String> joinAddresses = FXCollections.observableArrayList();
    private final String certificateFingerprint;
    private final ObjectProperty<TargetChoice> target = new SimpleObjectProperty<>(TargetChoice.EVERYONE);
    private final StringProperty draft = new SimpleStringProperty("");

    public ChatViewModel(ChatSession session, Executor ui) {
        this.session = session;
        this.ui = ui;
        this.hosting = new ReadOnlyBooleanWrapper(session instanceof HostedSession);
        if (session instanceof HostedSession hosted) {
            joinAddresses.setAll(hosted.joinAddresses());
            certificateFingerprint = hosted.certificateFingerprint().orElse(null);
        } else {
            certificateFingerprint = null;
        }
        rebuildTargets();
        session.addListener(this::arrive);
    }

    public ReadOnlyStringProperty myIdProperty() {
        return myId.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateDetailProperty() {
        return stateDetail.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hostingProperty() {
        return hosting.getReadOnlyProperty();
    }

    public ObservableList<ConversationLine> conversation() {
        return conversation;
    }

    public ObservableList<String> people() {
        return people;
    }

    public ObservableList<String> rooms() {
        return rooms;
    }

    public ObservableList<TargetChoice> targets() {
        return targets;
    }

    public ObservableList<String> consoleLines() {
        return consoleLines;
    }

    /** The hosted session's TLS certificate fingerprint, or null when not hosting over TLS. */
    public String certificateFingerprint() {
        return certificateFingerprint;
    }

    public ObservableList<String> joinAddresses() {
        return joinAddresses;
    }

    public ObjectProperty<TargetChoice> targetProperty() {
        return target;
    }

    public StringProperty draftProperty() {
        return draft;
    }

    public String endpoint() {
        return session.endpoint();
    }

    // Commands //

    /** Connects; call once after the view is shown. */
    /**
     * Called (on the UI thread) when the session ends before it ever connected: a wrong password,
     * a changed certificate. The window goes back to where the person can fix it.
     */
    public void onRefusedAtTheDoor(java.util.function.Consumer<String> action) {
        refusedAtTheDoor = action;
    }

    public void open() {
        session.open();
    }

    /** Sends the draft to the chosen target and clears it; blank drafts do nothing. */
    public void send() {
        String text = draft.get() == null ? "" : draft.get().strip();
        if (text.isEmpty()) {
            return;
        }
        TargetChoice choice = target.get() == null ? TargetChoice.EVERYONE : target.get();
        draft.set("");
        if (choice.announcement() && session instanceof HostedSession hosted) {
            try {
                hosted.announce(text);
            } catch (IllegalArgumentException e) {
                conversation.add(ConversationLine.notice("Not announced: " + e.getMessage()));
            }
            return;
        }
        ConversationLine line = new ConversationLine(Instant.now(), "You", scopeOf(choice.target()), text,
                ConversationLine.Kind.OWN, "sending");
        conversation.add(line);
        session.send(choice.target(), text).whenComplete((ok, failure) -> ui.execute(() -> {
            int index = conversation.indexOf(line);
            if (failure == null) {
                replace(index, line.withStatus("delivered"));
            } else {
                replace(index, line.withStatus("failed"));
                conversation.add(ConversationLine.notice(reason(failure)));
            }
        }));
    }

    public void joinRoom(String room) {
        String name = room == null ? "" : room.strip();
        if (name.isEmpty()) {
            return;
        }
        session.joinRoom(name).whenComplete((ack, failure) -> ui.execute(() -> {
            if (failure == null) {
                conversation.add(ConversationLine.notice(ack));
                target.set(TargetChoice.room(name));
            } else {
                conversation.add(ConversationLine.notice(reason(failure)));
            }
        }));
    }

    public void leaveRoom(String room) {
        session.leaveRoom(room).whenComplete((ack, failure) -> ui.execute(() ->
                conversation.add(ConversationLine.notice(failure == null ? ack : reason(failure)))));
    }

    /** Points the "send to" chooser at one person. */
    public void messagePerson(String socketId) {
        if (socketId == null || socketId.equals(myId.get())) {
            return;
        }
        TargetChoice choice = TargetChoice.person(socketId);
        if (!targets.contains(choice)) {
            targets.add(choice);
        }
        target.set(choice);
    }

    /**
     * Emits a custom event; {@code argumentsJson} is a comma-separated list of JSON values.
     *
     * @return null when sent, else the reason it was not
     */
    public String emitCustom(String event, String argumentsJson) {
        try {
            List<Object> args = JsonText.parseArguments(argumentsJson);
            session.emitCustom(event == null ? "" : event.strip(), args);
            console("sent " + event.strip() + " " + JsonText.write(args));
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Leaves (or stops hosting). Blocks briefly while sockets close: call off the UI thread. */
    public void close() {
        session.close();
    }

    // Events //

    /** Called on session threads: queue, and make sure one drain is on its way (never blocks). */
    private void arrive(SessionEvent event) {
        inbox.add(event);
        if (drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain);
        }
    }

    /**
     * Applies what arrived, in order. Consecutive messages join the conversation in one
     * {@code addAll}: at thousands a second that is one list change (and one scroll) per turn
     * instead of one per message.
     */
    private void drain() {
        drainScheduled.set(false);
        List<ConversationLine> arriving = new java.util.ArrayList<>();
        int applied = 0;
        for (SessionEvent event = inbox.poll(); event != null; event = applied < EVENTS_PER_TURN ? inbox.poll() : null) {
            applied++;
            if (event instanceof SessionEvent.MessageReceived received) {
                arriving.add(lineFor(received.message()));
            } else {
                conversation.addAll(arriving);
                arriving.clear();
                apply(event);
            }
        }
        conversation.addAll(arriving);
        if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain); // the rest on a later turn, after the window has painted
        }
    }

    void apply(SessionEvent event) {
        if (event instanceof SessionEvent.Connected connected) {
            everConnected = true;
            myId.set(connected.socketId());
            conversation.add(ConversationLine.notice("You connected with id: " + connected.socketId()));
            rebuildTargets();
        } else if (event instanceof SessionEvent.StateChanged changed) {
            state.set(changed.state());
            stateDetail.set(changed.detail());
            if (changed.state() != ConnectionState.CONNECTED) {
                myId.set("");
                // Who is here is unknown until the next connection says so.
                people.clear();
                rebuildTargets();
            }
            if (changed.state() == ConnectionState.DISCONNECTED && !everConnected) {
                refusedAtTheDoor.accept(changed.detail());
            }
        } else if (event instanceof SessionEvent.MessageReceived received) {
            conversation.add(lineFor(received.message()));
        } else if (event instanceof SessionEvent.PeersChanged changed) {
            updatePeople(changed.peers());
        } else if (event instanceof SessionEvent.RoomsChanged changed) {
            rooms.setAll(changed.rooms());
            rebuildTargets();
        } else if (event instanceof SessionEvent.CustomEventReceived custom) {
            console("received " + custom.name() + " " + JsonText.write(custom.args())
                    + (custom.source() == null ? "" : " from " + custom.source()));
        } else if (event instanceof SessionEvent.Notice notice) {
            conversation.add(ConversationLine.notice(notice.text()));
        }
    }

    private ConversationLine lineFor(ChatMessage message) {
        if (message.kind() == MessageKind.ANNOUNCEMENT) {
            return new ConversationLine(message.time(), "Host", "announcement", message.text(),
                    ConversationLine.Kind.ANNOUNCEMENT, "");
        }
        if (message.from() != null && !people.contains(message.from())) {
            // Servers that send no peers list still reveal who is talking.
            people.add(message.from());
        }
        String scope = switch (message.kind()) {
            case ROOM -> "#" + message.room();
            case DIRECT -> "direct";
            default -> "everyone";
        };
        String sender = message.from() == null ? "someone" : message.from();
        return new ConversationLine(message.time(), sender, scope, message.text(), ConversationLine.Kind.OTHER, "");
    }

    /** Changes only what changed, so a person's selection in the list survives others coming and going. */
    private void updatePeople(List<String> now) {
        people.removeIf(id -> !now.contains(id));
        for (String id : now) {
            if (!people.contains(id)) {
                people.add(id);
            }
        }
    }

    private void rebuildTargets() {
        TargetChoice selected = target.get();
        List<TargetChoice> people = targets.stream().filter(t -> t.target() instanceof Target.Direct).toList();
        targets.clear();
        targets.add(TargetChoice.EVERYONE);
        if (hosting.get()) {
            targets.add(TargetChoice.ANNOUNCE);
        }
        rooms.forEach(room -> targets.add(TargetChoice.room(room)));
        targets.addAll(people);
        target.set(targets.contains(selected) ? selected : TargetChoice.EVERYONE);
    }

    private void replace(int index, ConversationLine updated) {
        if (index >= 0) {
            conversation.set(index, updated);
        }
    }

    private void console(String line) {
        consoleLines.add(LocalTime.now(ZoneId.systemDefault()).format(CONSOLE_TIME) + "  " + line);
    }

    private static String scopeOf(Target target) {
        if (target instanceof Target.Room room) {
            return "#" + room.name();
        }
        if (target instanceof Target.Direct direct) {
            return "to " + direct.socketId();
        }
        return "everyone";
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
