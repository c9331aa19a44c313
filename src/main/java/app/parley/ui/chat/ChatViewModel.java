package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.JsonText;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.HostedSession;
import app.parley.session.SessionEvent;
import app.parley.ui.lines.ConversationLine;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
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
    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** At most this many events per turn of the UI thread, so a backlog never freezes the window. */
    private static final int EVENTS_PER_TURN = 2_000;
    /** Messages per history page. */
    static final int PAGE = 50;
    /** More arrivals or departures than this in one batch become one summary line. */
    private static final int PRESENCE_LINES_PER_BATCH = 3;

    private final ChatSession session;
    private final Executor ui;
    private final ConcurrentLinkedQueue<SessionEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private boolean everConnected;
    private Consumer<String> refusedAtTheDoor = detail -> { };
    private BiConsumer<String, String> notifier = (title, text) -> { };

    // Properties //
    private final ReadOnlyStringWrapper myId = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper myName = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>(ConnectionState.CONNECTING);
    /**
     * What the people list says while it is empty: that nobody else is here, or, while not
     * connected, that nobody's presence is known (the list is cleared until the next connection).
     */
    private final StringExpression peoplePlaceholder = Bindings.when(state.isEqualTo(ConnectionState.CONNECTED))
            .then("Nobody else yet").otherwise("Not connected");
    private final ReadOnlyStringWrapper stateDetail = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper hosting;
    private final PeopleModel people = new PeopleModel();
    private final ConversationDirectory conversations = new ConversationDirectory(people, this::loadLatest);
    private final Conversation everyone = conversations.everyone();
    private final ObjectProperty<Conversation> selected = new SimpleObjectProperty<>(everyone);
    /** See {@link #shared}; emptied when it reaches {@link #SHARED_TEXTS}, so it never grows without bound. */
    private final Map<String, String> sharedTexts = new HashMap<>();
    private static final int SHARED_TEXTS = 4096;
    private final ObservableList<String> rooms = FXCollections.observableArrayList();
    private final ObservableList<String> consoleLines = FXCollections.observableArrayList();
    private final ObservableList<String> joinAddresses = FXCollections.observableArrayList();
    private final String certificateFingerprint;
    private final BooleanProperty announce = new SimpleBooleanProperty(false);
    /** Own messages the host never confirmed, by client id: what Retry sends again. */
    private final Map<String, Outgoing> failed = new LinkedHashMap<>();
    private final javafx.beans.property.ReadOnlyIntegerWrapper failedCount = new javafx.beans.property.ReadOnlyIntegerWrapper();

    /** An own message on its way: where it shows, and what to send again. */
    private record Outgoing(String clientId, Conversation conversation, Target target, String text) {
    }
    private final StringProperty draft = new SimpleStringProperty("");

    /** Someone connected: a socket id and the name they go by (null when they have none). */
    public record Person(String id, String name) {
        public String label() {
            return name != null ? name : id;
        }
    }

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
        session.addListener(this::arrive);
    }

    public ReadOnlyStringProperty myIdProperty() {
        return myId.getReadOnlyProperty();
    }

    /** The name the host granted us; empty before it said (or when it knows no names). */
    public ReadOnlyStringProperty myNameProperty() {
        return myName.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateDetailProperty() {
        return stateDetail.getReadOnlyProperty();
    }

    /** What the people list says while it is empty. */
    public StringExpression peoplePlaceholder() {
        return peoplePlaceholder;
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
        return consoleLines;
    }

    /** The hosted session's TLS certificate fingerprint, or null when not hosting over TLS. */
    public String certificateFingerprint() {
        return certificateFingerprint;
    }

    public ObservableList<String> joinAddresses() {
        return joinAddresses;
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
        return failedCount.getReadOnlyProperty();
    }

    public String endpoint() {
        return session.endpoint();
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
        refusedAtTheDoor = action;
    }

    /** Receives (title, text) for what deserves a notification: direct messages and mentions. */
    public void onNotify(BiConsumer<String, String> action) {
        notifier = action;
    }

    /** Connects; call once after the view is shown. Messages left in the outbox show as sending. */
    public void open() {
        for (var pending : session.pending()) {
            track(new Outgoing(pending.clientId(), conversations.of(pending.target()), pending.target(), pending.text()), null);
        }
        session.open();
    }

    /** While reconnecting: try now instead of waiting for the next attempt. */
    public void retryNow() {
        session.retryNow();
    }

    /** Sends every failed message again, with its own client id (the host stores each once). */
    public void retryFailed() {
        List<Outgoing> again = new ArrayList<>(failed.values());
        failed.clear();
        failedCount.set(0);
        for (Outgoing outgoing : again) {
            List<ConversationLine> lines = outgoing.conversation().lines();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).kind() == ConversationLine.Kind.OWN && "failed".equals(lines.get(i).status())
                        && lines.get(i).text().equals(outgoing.text())) {
                    lines.remove(i);
                    break;
                }
            }
            track(outgoing, null);
        }
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
        track(new Outgoing(java.util.UUID.randomUUID().toString(), here, here.target(), text), null);
    }

    /** Shows an own message as sending, and then as delivered or failed. */
    private void track(Outgoing outgoing, Instant time) {
        Conversation here = outgoing.conversation();
        ConversationLine line = new ConversationLine(time == null ? Instant.now() : time, "You",
                scopeOf(outgoing.target()), outgoing.text(), ConversationLine.Kind.OWN, "sending");
        here.lines().add(line);
        here.showingOwn(outgoing.clientId());
        session.send(outgoing.target(), outgoing.text(), outgoing.clientId()).whenComplete((ok, failure) -> ui.execute(() -> {
            int index = here.lines().lastIndexOf(line);
            if (failure == null) {
                replace(here, index, line.withStatus("delivered"));
            } else {
                replace(here, index, line.withStatus("failed"));
                here.lines().add(ConversationLine.notice(reason(failure)));
                if (reason(failure).startsWith("Not delivered")) {
                    failed.put(outgoing.clientId(), outgoing);
                    failedCount.set(failed.size());
                }
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
                Conversation conversation = conversations.room(name);
                conversation.lines().add(ConversationLine.notice(ack));
                selected.set(conversation);
            } else {
                selected.get().lines().add(ConversationLine.notice(reason(failure)));
            }
        }));
    }

    public void leaveRoom(String room) {
        session.leaveRoom(room).whenComplete((ack, failure) -> ui.execute(() ->
                everyone.lines().add(ConversationLine.notice(failure == null ? ack : reason(failure)))));
    }

    /** Opens (or returns to) the direct conversation with one person; not with oneself. */
    public void messagePerson(String socketId) {
        if (socketId == null || socketId.equals(myId.get())) {
            return;
        }
        selected.set(conversations.direct(socketId));
    }

    /** Asks the host for another name; the outcome shows as a line. */
    public void rename(String name) {
        String wanted = name == null ? "" : name.strip();
        session.rename(wanted).whenComplete((granted, failure) -> ui.execute(() -> selected.get().lines().add(
                ConversationLine.notice(failure == null ? "You are now " + granted : reason(failure)))));
    }

    /** Loads the page before the oldest line of the selected conversation, if there is one. */
    public void loadOlder() {
        Conversation here = selected.get();
        if (people.known() && here.startHistoryLoad(true)) {
            requestHistory(here, here.oldestSeq());
        }
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
     * Applies what arrived, in order. Consecutive messages join their conversations in one
     * {@code addAll} each: at thousands a second that is one list change (and one scroll) per turn
     * instead of one per message.
     */
    private void drain() {
        drainScheduled.set(false);
        Map<Conversation, List<ChatMessage>> arriving = new LinkedHashMap<>();
        int applied = 0;
        for (SessionEvent event = inbox.poll(); event != null; event = applied < EVENTS_PER_TURN ? inbox.poll() : null) {
            applied++;
            if (event instanceof SessionEvent.MessageReceived received) {
                ChatMessage message = received.message();
                arriving.computeIfAbsent(conversations.of(message), c -> new ArrayList<>()).add(message);
            } else {
                deliver(arriving);
                apply(event);
            }
        }
        deliver(arriving);
        if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain); // the rest on a later turn, after the window has painted
        }
    }

    private void deliver(Map<Conversation, List<ChatMessage>> arriving) {
        arriving.forEach((conversation, messages) -> {
            List<ConversationLine> lines = new ArrayList<>(messages.size());
            for (ChatMessage message : messages) {
                lines.add(lineFor(message));
            }
            conversation.append(lines, messages);
            if (conversation != selected.get()) {
                conversation.countUnread(lines.size());
            }
            notifyAbout(conversation, messages.get(messages.size() - 1));
        });
        arriving.clear();
    }

    private void apply(SessionEvent event) {
        if (event instanceof SessionEvent.Connected connected) {
            everConnected = true;
            people.connected();
            myId.set(connected.socketId());
            everyone.lines().add(ConversationLine.notice("You connected with id: " + connected.socketId()));
        } else if (event instanceof SessionEvent.StateChanged changed) {
            onStateChanged(changed);
        } else if (event instanceof SessionEvent.PeersChanged changed) {
            onPeers(changed);
        } else if (event instanceof SessionEvent.RoomMembersChanged members) {
            onRoomMembers(members);
        } else if (event instanceof SessionEvent.TypingChanged typing) {
            conversations.find(typing.conversation()).ifPresent(c -> c.setTyping(typing.names()));
        } else if (event instanceof SessionEvent.RoomsChanged changed) {
            rooms.setAll(changed.rooms());
            conversations.rooms(changed.rooms());
            if (!conversations.all().contains(selected.get())) {
                selected.set(everyone);
            }
        } else if (event instanceof SessionEvent.CustomEventReceived custom) {
            console("received " + custom.name() + " " + JsonText.write(custom.args())
                    + (custom.source() == null ? "" : " from " + custom.source()));
        } else if (event instanceof SessionEvent.Notice notice) {
            selected.get().lines().add(ConversationLine.notice(notice.text()));
        }
    }

    private void onStateChanged(SessionEvent.StateChanged changed) {
        state.set(changed.state());
        stateDetail.set(changed.detail());
        if (changed.state() != ConnectionState.CONNECTED) {
            myId.set("");
            // Who is here is unknown until the next connection says so.
            people.forget();
        }
        if (changed.state() == ConnectionState.DISCONNECTED && !everConnected) {
            refusedAtTheDoor.accept(changed.detail());
        }
    }

    private void onPeers(SessionEvent.PeersChanged changed) {
        PeopleModel.Changes changes = people.update(changed, myId.get());
        myName.set(people.nameOf(myId.get()));
        conversations.retitle();
        presenceLines(changes.arrived(), " connected", "people connected");
        presenceLines(changes.departed(), " left", "people left");
        changes.renamed().forEach(line -> everyone.lines().add(ConversationLine.notice(line)));
        if (changes.first()) {
            // A Parley host: what was said before we came is a history page away.
            conversations.all().forEach(this::loadLatest);
        }
    }

    private void presenceLines(List<String> who, String verb, String many) {
        if (who.size() > PRESENCE_LINES_PER_BATCH) {
            everyone.lines().add(ConversationLine.notice(who.size() + " " + many));
        } else {
            who.forEach(label -> everyone.lines().add(ConversationLine.notice(label + verb)));
        }
    }

    private void onRoomMembers(SessionEvent.RoomMembersChanged changed) {
        List<String> before = people.members(changed.room(), changed.members());
        Optional<Conversation> room = conversations.find(new Target.Room(changed.room()));
        room.ifPresent(c -> c.setMembers(changed.members().stream()
                .map(id -> id.equals(myId.get()) ? "you" : labelOf(id)).toList()));
        if (before == null || room.isEmpty()) {
            return; // the first list is who was there already: no news
        }
        for (String id : changed.members()) {
            if (!before.contains(id) && !id.equals(myId.get())) {
                room.get().lines().add(ConversationLine.notice(labelOf(id) + " joined #" + changed.room()));
            }
        }
        for (String id : before) {
            if (!changed.members().contains(id) && !id.equals(myId.get())) {
                room.get().lines().add(ConversationLine.notice(labelOf(id) + " left #" + changed.room()));
            }
        }
    }

    /** Who is in the room now, by name; empty when the server does not say. */
    public List<String> membersOf(String room) {
        return people.membersOf(room);
    }

    private void notifyAbout(Conversation conversation, ChatMessage message) {
        String me = myName.get();
        boolean mention = !me.isEmpty() && Mentions.mentions(message.text(), me);
        if (message.kind() == MessageKind.DIRECT || mention) {
            notifier.accept(message.senderLabel() + (mention ? " mentioned you in " : " in ") + conversation.title(),
                    message.text());
        }
    }

    // Conversations //

    /** The latest page of a conversation, once, when the host keeps history. */
    private void loadLatest(Conversation conversation) {
        if (people.known() && conversation.startHistoryLoad(false)) {
            requestHistory(conversation, Long.MAX_VALUE);
        }
    }

    private void requestHistory(Conversation conversation, long before) {
        session.history(conversation.target(), before, PAGE).whenComplete((page, failure) -> ui.execute(() -> {
            if (failure != null) {
                conversation.historyFailed();
                return;
            }
            List<ConversationLine> lines = new ArrayList<>();
            for (ChatMessage message : page.messages()) {
                lines.add(message.mine()
                        ? new ConversationLine(message.time(), "You", scopeOf(conversation.target()), message.text(),
                                ConversationLine.Kind.OWN, "delivered")
                        : lineFor(message));
            }
            conversation.prepend(lines, page.messages(), page.more());
        }));
    }

    private ConversationLine lineFor(ChatMessage message) {
        if (message.mine()) {
            // Ours, sent from another window or device, coming back in a replay.
            return new ConversationLine(message.time(), "You", "", message.text(), ConversationLine.Kind.OWN, "delivered");
        }
        if (message.kind() == MessageKind.ANNOUNCEMENT) {
            return new ConversationLine(message.time(), "Host", "announcement", message.text(),
                    ConversationLine.Kind.ANNOUNCEMENT, "");
        }
        people.heard(message);
        String scope = switch (message.kind()) {
            case ROOM -> "#" + message.room();
            case DIRECT -> "direct";
            default -> "everyone";
        };
        return new ConversationLine(message.time(), shared(message.senderLabel()), shared(scope), message.text(),
                ConversationLine.Kind.OTHER, "");
    }

    /**
     * One copy of a sender's label or a scope for all the lines that show it: every message brings
     * its own copies from the wire, and a conversation keeps 100,000 lines and more.
     */
    private String shared(String text) {
        if (sharedTexts.size() >= SHARED_TEXTS) {
            sharedTexts.clear();
        }
        String known = sharedTexts.putIfAbsent(text, text);
        return known == null ? text : known;
    }

    private void replace(Conversation conversation, int index, ConversationLine updated) {
        if (index >= 0) {
            conversation.lines().set(index, updated);
        }
    }

    private void console(String line) {
        consoleLines.add(LocalTime.now(ZoneId.systemDefault()).format(CONSOLE_TIME) + "  " + line);
    }

    private String scopeOf(Target target) {
        if (target instanceof Target.Room room) {
            return "#" + room.name();
        }
        if (target instanceof Target.Direct direct) {
            return "to " + labelOf(direct.socketId());
        }
        return "everyone";
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
