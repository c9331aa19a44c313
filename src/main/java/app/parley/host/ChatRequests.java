package app.parley.host;

import app.parley.engine.RecoveryOffset;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.SharedFile;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.SessionEvent;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.MultiTypeArgs;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The chat rules of a connected socket: what each chat event it sends does (send routing, typing,
 * joining and leaving rooms, names, custom events; history pages in {@link HistoryRequests}) and why one
 * is refused. HostServer turns netty-socketio's callbacks into these calls; nothing here blocks an I/O thread.
 */
final class ChatRequests {
    /**
     * Every admitted socket: what "everyone" means. A room rather than the namespace, so a socket
     * hears live traffic only once what it missed has been replayed to it.
     */
    static final String EVERYONE_ROOM = "\u0001everyone";
    /** Prefix of the room of each user's sockets: direct messages addressed by user go there. */
    static final String USER_ROOM = "\u0001user ";

    private final SocketIOServer server;
    private final History history;
    private final Presence presence;
    private final Names names;
    /** What is known of each socket: its user, name and own budget ({@link Guest}). */
    private final Guests guests;

    private final Rooms rooms;
    /** Chat-event budgets per socket, user and address. */
    private final ChatBudgets budgets;

    private final Consumer<SessionEvent> publish;
    /**
     * The user of a socket that is away but may recover its session ({@link Recovery#awayUser}):
     * a direct message to it is kept for its return, as Node's recovery replays what was sent to a
     * socket's own room meanwhile.
     */
    private volatile Function<String, Optional<String>> away = id -> Optional.empty();

    ChatRequests(HostParts parts, ChatBudgets budgets, Consumer<SessionEvent> publish) {
        this.server = parts.engine().server();
        this.history = parts.history();
        this.presence = parts.presence();
        this.names = parts.names();
        this.guests = parts.guests();
        this.rooms = parts.rooms();
        this.budgets = budgets;
        this.publish = publish;
    }

    /** Direct messages to a socket away within its recovery window are kept for it ({@link #away}). */
    void keepDirectsFor(Function<String, Optional<String>> awayUser) {
        this.away = awayUser;
    }

    void onListPeers(SocketIOClient client, AckRequest ack) {
        if (refused(client, ack, ChatEvents.LIST_PEERS, overRate(client))) {
            return;
        }
        presence.sendListTo(client, list -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(list);
            } else {
                client.sendEvent(ChatEvents.PEERS, list);
            }
        });
    }

    void onSendMessage(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object text = args.size() > 0 ? args.get(0) : null;
        Object room = args.size() > 1 ? args.get(1) : "";
        Object extra = args.size() > 2 ? args.get(2) : null;
        WireCodec.SendOptions options = SendOptionsRule.read(extra);
        if (refused(
                client,
                ack,
                ChatEvents.SEND_MESSAGE,
                overRate(client)
                        .or(() -> refuseBinary(text, room, extra))
                        .or(() -> WireRules.checkMessage(text))
                        .or(() -> WireRules.checkTargetRoom(room))
                        .or(() -> SendOptionsRule.check(extra))
                        .or(() -> options.toUser() == null ? refuseDeparted(room) : Optional.empty()))) {
            return;
        }
        post(
                client,
                ack,
                ChatEvents.SEND_MESSAGE,
                (String) text,
                room == null ? "" : (String) room,
                options,
                null,
                null);
    }

    /**
     * Stores a checked message (or file, §15) from {@code client} to {@code roomName} as
     * {@code send-message} addresses it, routes it once committed, and acks it once synced; a retry
     * of a stored one (same user and client id) is acked again and not delivered again.
     *
     * <p>Posted only under {@code expectedUser} (null: whoever the socket is) and only while the
     * socket is still known: a file is posted from the files thread, after its checks, and a
     * disconnect in between would otherwise store it under a stand-in user, and the client's
     * retry from its next connection under its real one, a copy nobody could tell. Dropped
     * unanswered instead, so the retry is what gets stored.
     */
    void post(
            SocketIOClient client,
            AckRequest ack,
            String event,
            String text,
            String roomName,
            WireCodec.SendOptions options,
            SharedFile file,
            String expectedUser) {
        Guest guest = guests.find(client.getSessionId())
                .filter(g -> g.acceptedUser() != null)
                .filter(g -> expectedUser == null || expectedUser.equals(g.acceptedUser()))
                .orElse(null);
        if (guest == null) {
            return;
        }
        String from = client.getSessionId().toString();
        String sender = guest.user();
        MessageKind kind = options.toUser() != null ? MessageKind.DIRECT : kindOf(roomName);
        String recipient = kind != MessageKind.DIRECT
                ? null
                : options.toUser() != null ? options.toUser() : userOfSocket(roomName);
        String conversation = switch (kind) {
            case EVERYONE -> Conversations.EVERYONE;
            case ROOM -> Conversations.room(roomName);
            default -> Conversations.direct(sender, recipient);
        };
        ChatMessage message = new ChatMessage(
                text,
                from,
                kind,
                kind == MessageKind.ROOM ? roomName : null,
                Instant.now(),
                UUID.randomUUID().toString(),
                guest.name(),
                0,
                false,
                conversation,
                sender,
                options.clientId(),
                file);
        history.append(
                Conversations.toStore(conversation, message, sender, options.clientId()),
                stored -> {
                    // A retry of a message stored before is acked again, never delivered again.
                    if (stored.message().id().equals(message.id())) {
                        presence.announceArrival(client.getSessionId());
                        // With the time it was stored at (History.nowUnderLock), as the ack has it.
                        ChatMessage routed = Conversations.fromStore(stored, null);
                        Object[] wireArgs = {
                            routed.text(), WireCodec.encodeMeta(routed), RecoveryOffset.at(stored.position())
                        };
                        String to = switch (kind) {
                            case EVERYONE -> EVERYONE_ROOM;
                            case ROOM -> roomName;
                            default -> options.toUser() != null ? USER_ROOM + recipient : roomName;
                        };
                        rooms.emitInOrder(
                                routed.conversation(), routed.seq(), to, client, ChatEvents.RECEIVE_MESSAGE, wireArgs);
                    }
                },
                stored -> {
                    // Acked once on the disk: what the sender is told is sent survives even a power cut.
                    if (ack.isAckRequested()) {
                        ack.sendAckData(WireCodec.sendAccepted(Conversations.fromStore(stored, sender)));
                    }
                },
                reason -> refuse(client, ack, event, reason));
    }

    void onSetName(SocketIOClient client, Object asked, AckRequest ack) {
        if (refused(client, ack, ChatEvents.SET_NAME, overRate(client).or(() -> refuseBinary(asked)))) {
            return;
        }
        Names.Grant grant = names.rename(guests.of(client), asked);
        if (grant.refusal() != null) {
            refuse(client, ack, ChatEvents.SET_NAME, grant.refusal());
            return;
        }
        presence.rename(client.getSessionId(), grant.name());
        if (ack.isAckRequested()) {
            ack.sendAckData(WireCodec.nameGranted(grant.name()));
        }
    }

    /** {@code typing(room, active)}: relayed to whoever the same {@code send-message} would reach. */
    void onTyping(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object room = args.size() > 0 ? args.get(0) : "";
        Object active = args.size() > 1 ? args.get(1) : Boolean.TRUE;
        if (refused(
                client,
                ack,
                ChatEvents.TYPING,
                overRate(client)
                        .or(() -> refuseBinary(room, active))
                        .or(() -> WireRules.checkTargetRoom(room))
                        .or(() -> active instanceof Boolean
                                ? Optional.empty()
                                : Optional.of("active must be true or false")))) {
            return;
        }
        String roomName = room == null ? "" : (String) room;
        String from = client.getSessionId().toString();
        MessageKind kind = kindOf(roomName);
        Object payload = WireCodec.encodeTyping(new WireCodec.Typing(
                from, guests.of(client).name(), kind, kind == MessageKind.ROOM ? roomName : null, (Boolean) active));
        if (kind == MessageKind.EVERYONE) {
            rooms.emit(EVERYONE_ROOM, client, ChatEvents.TYPING, payload);
        } else {
            rooms.emit(roomName, client, ChatEvents.TYPING, payload);
        }
    }

    /**
     * Tells the socket where {@code conversations} stand as it starts hearing them live, so its
     * next resume names them even if nothing arrives there before it loses its connection. Only
     * under the history's lock, where nothing is stored in between (a failed replay goes without),
     * and only to clients that ask for it ({@code auth.caughtUp}): others, earlier Parley versions
     * among them, would show an event they do not know.
     */
    void caughtUp(SocketIOClient client, List<String> conversations) {
        if (asksForCaughtUp(client)) {
            // In a cluster, where this host's live delivery stands: what another host stored is
            // delivered here a moment later, and the client must not take it for a repeat then.
            startsAt(
                    client,
                    rooms.order()
                            .map(order -> order.delivered(conversations))
                            .orElseGet(() -> history.latestSeqsUnderLock(conversations)));
        }
    }

    /**
     * Tells the socket, before its replay sends anything of them, where the replay starts in
     * direct conversations its resume did not name: should the connection drop before they come,
     * its next resume names them from there, instead of leaving them to its {@code at}, which the
     * rest of the replay may carry past them. Under the history's lock, as {@link #caughtUp}.
     */
    void startsAt(SocketIOClient client, Map<String, Long> seqs) {
        if (!seqs.isEmpty() && asksForCaughtUp(client)) {
            client.sendEvent(ChatEvents.CAUGHT_UP, WireCodec.encodeCaughtUp(history.nowUnderLock(), seqs));
        }
    }

    private boolean asksForCaughtUp(SocketIOClient client) {
        return guests.of(client).handshakeAuth() instanceof Map<?, ?> auth && Boolean.TRUE.equals(auth.get("caughtUp"));
    }

    String userOf(SocketIOClient client) {
        return guests.of(client).user();
    }

    void onJoinRoom(SocketIOClient client, Object room, AckRequest ack) {
        changeMembership(client, room, ack, ChatEvents.JOIN_ROOM, SocketIOClient::joinRoom, "Joined ");
    }

    void onLeaveRoom(SocketIOClient client, Object room, AckRequest ack) {
        changeMembership(client, room, ack, ChatEvents.LEAVE_ROOM, SocketIOClient::leaveRoom, "Left ");
    }

    /** Validates the room, applies the change, and acks {@code "<verb> <room>"} (the tutorial's text). */
    private void changeMembership(
            SocketIOClient client,
            Object room,
            AckRequest ack,
            String event,
            java.util.function.BiConsumer<SocketIOClient, String> change,
            String ackPrefix) {
        if (guests.of(client).heldBack(() -> changeMembership(client, room, ack, event, change, ackPrefix))) {
            return;
        }
        boolean joining = event.equals(ChatEvents.JOIN_ROOM);
        Optional<String> refusal = refuseBinary(room)
                .or(() -> RoomRules.checkJoinable(room))
                .or(() -> joining && isConnectedSocketId((String) room)
                        ? Optional.of(RoomRules.ID_ROOM_RESERVED)
                        : Optional.empty());
        if (refusal.isEmpty() && joining && presence.isInRoom(client.getSessionId(), (String) room)) {
            // Already there (a reconnecting client rejoins what its resume restored): nothing to pay for.
            if (ack.isAckRequested()) {
                ack.sendAckData(ackPrefix + room);
            }
            return;
        }
        if (refused(client, ack, event, refusal.or(() -> overRate(client)))) {
            return;
        }
        String user = userOf(client);
        // Under the history's lock, in order with routing: a reconnecting client's join-room comes
        // after its replay, so no live message of the room can overtake what it missed there. A
        // lasting user's rooms are kept, so a resume may put them back there, and nobody else.
        history.read(
                () -> {
                    if (Users.isLasting(user)) {
                        history.store().setMember(user, (String) room, joining);
                    }
                    return room;
                },
                joined -> {
                    change.accept(client, (String) room);
                    if (event.equals(ChatEvents.JOIN_ROOM)) {
                        presence.joinedRoom(client.getSessionId(), (String) room);
                        caughtUp(client, List.of(Conversations.room((String) room)));
                    } else {
                        presence.leftRoom(client.getSessionId(), (String) room);
                    }
                    if (ack.isAckRequested()) {
                        ack.sendAckData(ackPrefix + room);
                    }
                },
                reason -> refuse(client, ack, event, reason));
    }

    void onCustomEvent(SocketIOClient client, String event, List<Object> args, AckRequest ack) {
        if (refused(
                client,
                ack,
                event,
                overRate(client)
                        .or(() -> refuseBinary(args == null ? null : args.toArray()))
                        .or(() -> WireRules.checkEventName(event)))) {
            return;
        }
        publish.accept(new SessionEvent.CustomEventReceived(
                event, args == null ? List.of() : args, client.getSessionId().toString()));
        if (ack.isAckRequested()) {
            // The confirmation first (what a tutorial callback reads), then the arguments back.
            List<Object> reply = new ArrayList<>();
            reply.add("Received " + event);
            reply.addAll(args == null ? List.of() : args);
            ack.sendAckData(reply);
        }
    }

    /** Takes one chat event from the socket's, its user's and its address's budgets; past one, says why. */
    Optional<String> overRate(SocketIOClient client) {
        Guest guest = guests.of(client);
        String user = guest.user();
        return budgets.take(guest.budget(), client.getRemoteAddress(), Users.isLasting(user) ? user : null);
    }

    /**
     * Binary arguments reach the host intact, but the chat does not carry them yet (they would be
     * neither stored nor shown): refused with a reason, bytes travel as base64 text.
     */
    static Optional<String> refuseBinary(Object... values) {
        return values != null && containsBinary(java.util.Arrays.asList(values))
                ? Optional.of(HostServer.BINARY_REFUSED)
                : Optional.empty();
    }

    private static boolean containsBinary(Object value) {
        if (value instanceof byte[]) {
            return true;
        }
        if (value instanceof Iterable<?> list) {
            for (Object element : list) {
                if (containsBinary(element)) {
                    return true;
                }
            }
        }
        if (value instanceof Map<?, ?> map) {
            return containsBinary(map.values());
        }
        return false;
    }

    /** A direct message to someone who has left would be stored and reach nobody: say so instead. */
    Optional<String> refuseDeparted(Object room) {
        return room instanceof String id
                        && looksLikeSocketId(id)
                        && !isConnectedSocketId(id)
                        && away.apply(id).isEmpty()
                ? Optional.of("nobody with id " + id + " is connected (they may have left)")
                : Optional.empty();
    }

    /** The one refusal preamble: when there is a reason, tells the sender and says so. */
    boolean refused(SocketIOClient client, AckRequest ack, String event, Optional<String> refusal) {
        refusal.ifPresent(reason -> refuse(client, ack, event, reason));
        return refusal.isPresent();
    }

    void refuse(SocketIOClient client, AckRequest ack, String event, String reason) {
        Object error = WireCodec.refused(event, reason);
        if (ack.isAckRequested()) {
            ack.sendAckData(error);
        } else {
            client.sendEvent(ChatEvents.ERROR, error);
        }
    }

    /** What the {@code room} argument of {@code send-message} (and {@code typing}) addresses. */
    private MessageKind kindOf(String roomName) {
        return roomName.isEmpty()
                ? MessageKind.EVERYONE
                : isConnectedSocketId(roomName)
                                || looksLikeSocketId(roomName)
                                        && away.apply(roomName).isPresent()
                        ? MessageKind.DIRECT
                        : MessageKind.ROOM;
    }

    boolean isConnectedSocketId(String room) {
        if (!looksLikeSocketId(room)) {
            // A Node server's socket in the cluster: its id is no UUID, and it is a person here.
            return rooms.people().map(people -> people.isPresent(room)).orElse(false);
        }
        // Rooms are case-sensitive: only the canonical (lower-case) id names a socket's room.
        return UUID.fromString(room).toString().equals(room)
                && (server.getClient(UUID.fromString(room)) != null
                        || rooms.people().map(people -> people.isPresent(room)).orElse(false));
    }

    /** The user of a connected socket, here or on another Parley host of the cluster, or of one away ({@link #away}). */
    String userOfSocket(String socketId) {
        return rooms.people()
                .flatMap(people -> people.userOf(socketId))
                .or(() -> isConnectedSocketId(socketId) ? Optional.empty() : away.apply(socketId))
                .orElseGet(() -> guests.userOf(socketId));
    }

    private static boolean looksLikeSocketId(String room) {
        return RoomRules.looksLikeSocketId(room);
    }
}
