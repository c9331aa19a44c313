package app.parley.host;

import app.parley.engine.EngineException;
import app.parley.engine.EngineSettings;
import app.parley.engine.SocketIoEngine;
import app.parley.engine.ThrottledLog;
import app.parley.engine.TlsIdentity;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.SessionEvent;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.MultiTypeArgs;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Socket.IO server: netty-socketio configured and wrapped so that it speaks the
 * tutorial contract of {@code docs/PROTOCOL.md}. It holds no UI state and can run headless.
 *
 * <p>Every listener here runs on a Netty I/O thread and only routes: nothing blocks.
 */
public final class HostServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostServer.class);
    /** What a refused joiner reads; Parley's client shows it as is. */
    public static final String WRONG_PASSWORD = "wrong password";
    /** Why binary arguments are refused (docs/PROTOCOL.md, section 9). */
    public static final String BINARY_REFUSED = "binary attachments are not supported by this host; send bytes as base64 text";
    /** netty-socketio's name for the main namespace, {@code /}. */
    private static final String NAMESPACE = "";
    /**
     * Every admitted socket: what "everyone" means. A room rather than the namespace, so a socket
     * hears live traffic only once what it missed has been replayed to it.
     */
    private static final String EVERYONE_ROOM = "\u0001everyone";
    /** Prefix of the room of each user's sockets: direct messages addressed by user go there. */
    private static final String USER_ROOM = "\u0001user ";
    /** A history page waits while more than this waits to reach the asker (a client that reads never gets here). */
    private static final long MAX_BACKLOG_FOR_HISTORY = 1024 * 1024;
    /** How long a stopping host waits for queued messages to be stored and acked. */
    private static final long DRAIN_MILLIS = 5_000;
    /** How long clients get to receive {@code host-closing} before the sockets close. */
    private static final long CLOSING_GRACE_MILLIS = 300;

    private final HostConfig config;
    private final List<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Sockets whose CONNECT was accepted (and password, if any, checked), and who hears of them. */
    private Presence presence;
    /** The handshake {@code auth} payload of each connected socket ({@code socket.auth} in Node). */
    private final Map<UUID, Object> handshakeAuth = new ConcurrentHashMap<>();
    /** Chat-event budgets per socket, user and address. */
    private final ChatBudgets budgets;
    private final PasswordGuard passwords = new PasswordGuard();
    /** Paces replays and closes connections that used up their password tries. */
    private ScheduledExecutorService replayTimer;
    /** Each socket's user: stable across reconnects for Parley clients ({@link Users}). */
    private final Map<UUID, String> users = new ConcurrentHashMap<>();
    private final Names names = new Names();
    private History history;
    private SocketIoEngine engine;
    private volatile String tlsFingerprint;
    private SocketIOServer server;
    private volatile boolean running;

    public HostServer(HostConfig config) {
        this.config = config;
        this.budgets = new ChatBudgets(config.chatRate());
    }

    /** Host-side activity: custom events from clients, refused origins. Called on I/O threads. */
    public void addListener(Consumer<SessionEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Binds and starts serving. Blocks until the port is bound (a fraction of a second).
     *
     * @return the port actually bound (useful with port 0)
     * @throws HostException with a readable reason when the port cannot be bound
     */
    public synchronized int start() {
        if (running) {
            return port();
        }
        EngineSettings settings = EngineSettings.defaults(config.bindAddress(), config.port())
                .withOrigins(config.originPolicy(), this::originRefused).withLimits(config.limits());
        if (config.tls() != null) {
            try {
                TlsIdentity identity = config.tls().identity();
                settings = settings.withTls(identity);
                tlsFingerprint = identity.fingerprint();
            } catch (EngineException e) {
                throw new HostException(e.getMessage(), e.getCause());
            }
        }
        history = History.open(config.history(), () -> engine == null ? null : engine.currentLoop());
        engine = new SocketIoEngine(settings);
        server = engine.server();
        presence = new Presence(server);
        replayTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-replay");
            t.setDaemon(true);
            return t;
        });
        registerListeners(server);
        try {
            int port = engine.start();
            running = true;
            LOG.info("Parley host listening on {}:{}", config.bindAddress(), port);
            return port;
        } catch (EngineException e) {
            presence.close(); // its timer would tick on for a host that never started
            replayTimer.shutdownNow();
            history.close();
            throw new HostException(e.getMessage(), e.getCause());
        }
    }

    public int port() {
        return engine == null ? -1 : engine.port();
    }

    public HostConfig config() {
        return config;
    }

    public boolean isRunning() {
        return running;
    }

    /** SHA-256 of the certificate served, {@code AB:CD:…}, when hosting over TLS. */
    public Optional<String> tlsFingerprint() {
        return Optional.ofNullable(tlsFingerprint);
    }

    /** Engine.IO sessions open now, connected to a namespace or not. */
    public int engineSessions() {
        return engine == null ? 0 : engine.sessionCount();
    }

    /** Ids of every connected socket, in no particular order. */
    public List<String> connectedIds() {
        if (!running) {
            return List.of();
        }
        return presence.ids();
    }

    /**
     * The {@code auth} payload a connected socket sent with its CONNECT, as plain JSON values
     * (Node: {@code socket.handshake.auth}); empty when it sent none.
     */
    public Optional<Object> handshakeAuth(String socketId) {
        try {
            return Optional.ofNullable(handshakeAuth.get(UUID.fromString(socketId)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends to every socket including the host's own (Node: {@code io.emit}), once it is stored
     * in the everyone conversation.
     *
     * @return completes with the message as sent, or exceptionally when it could not be stored
     * @throws IllegalArgumentException when the text is not a valid message
     */
    public CompletableFuture<ChatMessage> announce(String text) {
        WireRules.checkMessage(text).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        ChatMessage message = new ChatMessage(text, null, MessageKind.ANNOUNCEMENT, null, Instant.now(),
                UUID.randomUUID().toString());
        CompletableFuture<ChatMessage> sent = new CompletableFuture<>();
        history.append(Conversations.toStore(Conversations.EVERYONE, message, null, null), stored ->
                server.getRoomOperations(EVERYONE_ROOM).sendEvent(ChatEvents.RECEIVE_MESSAGE, text,
                        WireCodec.encodeMeta(message.numbered(Conversations.EVERYONE, stored.seq()))),
                stored -> sent.complete(message.numbered(Conversations.EVERYONE, stored.seq())),
                reason -> sent.completeExceptionally(new HostException("Not announced: " + reason, null)));
        return sent;
    }

    /**
     * Tells every client the host is going away, gives the message a moment to leave, then
     * closes every socket and thread. Blocks; call it off the UI thread.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        // Messages already taken are stored and acked before anyone is told to go.
        history.drain(DRAIN_MILLIS);
        server.getBroadcastOperations().sendEvent(ChatEvents.HOST_CLOSING, "its owner stopped hosting");
        try {
            Thread.sleep(CLOSING_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        presence.close();
        replayTimer.shutdownNow();
        engine.stop();
        history.close();
        LOG.info("Parley host stopped");
    }

    private void registerListeners(SocketIOServer s) {
        s.addDisconnectListener(client -> {
            handshakeAuth.remove(client.getSessionId());
            budgets.forget(client.getSessionId());
            passwords.closed(client.getSessionId());
            presence.leave(client.getSessionId());
            names.release(client.getSessionId().toString());
            users.remove(client.getSessionId());
        });
        // The engine runs auth listeners on every CONNECT (with its auth payload), and connect
        // listeners only for an accepted one, after the client has its CONNECT answer.
        s.getNamespace(NAMESPACE).addAuthTokenListener(this::onConnectPacket);
        s.addConnectListener(this::admit);
        s.addMultiTypeEventListener(ChatEvents.SEND_MESSAGE,
                (client, args, ack) -> onSendMessage(client, args, ack),
                Object.class, Object.class, Object.class);
        s.addEventListener(ChatEvents.JOIN_ROOM, Object.class, (client, room, ack) -> onJoinRoom(client, room, ack));
        s.addEventListener(ChatEvents.LEAVE_ROOM, Object.class, (client, room, ack) -> onLeaveRoom(client, room, ack));
        s.addEventListener(ChatEvents.LIST_PEERS, Object.class, (client, ignored, ack) -> {
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
        });
        s.addEventListener(ChatEvents.SET_NAME, Object.class, this::onSetName);
        s.addMultiTypeEventListener(ChatEvents.TYPING, (client, args, ack) -> onTyping(client, args, ack),
                Object.class, Object.class);
        s.addEventListener(ChatEvents.HISTORY, Object.class, this::onHistory);
        s.addEventListener(app.parley.engine.CatchAllJsonSupport.CUSTOM_EVENT, Object.class, (client, event, ack) -> {
            if (event instanceof app.parley.engine.CatchAllJsonSupport.CustomEvent custom) {
                onCustomEvent(client, custom.name(), custom.args(), ack);
            }
        });
    }

    private AuthTokenResult onConnectPacket(Object auth, SocketIOClient client) {
        if (!running) {
            return new AuthTokenResult(false, Map.of("message", "the host is stopping"));
        }
        if (config.requiresPassword()) {
            Optional<String> shutOut = passwords.shutOut(client.getRemoteAddress());
            if (shutOut.isPresent()) {
                ThrottledLog.warn(LOG, "password guessers shut out")
                        .log("Refused {} from {}: {}", client.getSessionId(), client.getRemoteAddress(), shutOut.get());
                return new AuthTokenResult(false, Map.of("message", shutOut.get()));
            }
            if (!passwordMatches(auth)) {
                ThrottledLog.warn(LOG, "wrong passwords")
                        .log("Refused {} from {}: wrong or missing password", client.getSessionId(), client.getRemoteAddress());
                if (passwords.failed(client.getSessionId(), client.getRemoteAddress())) {
                    // After its answer has left: the refusal says why the connection ends.
                    replayTimer.schedule(() -> engine.closeConnection(client, PasswordGuard.MAX_FAILURES_PER_CONNECTION
                            + " wrong passwords on one connection"), 100, TimeUnit.MILLISECONDS);
                }
                return new AuthTokenResult(false, Map.of("message", WRONG_PASSWORD));
            }
            passwords.succeeded(client.getRemoteAddress());
        }
        if (auth instanceof Map<?, ?> map && !map.isEmpty()) {
            handshakeAuth.put(client.getSessionId(), auth);
        }
        users.put(client.getSessionId(), Users.of(auth, client.getSessionId()));
        return AuthTokenResult.AuthTokenResultSuccess;
    }

    /** An accepted socket: from here it counts as present (own room, peers list). */
    private void admit(SocketIOClient client) {
        UUID id = client.getSessionId();
        Object auth = handshakeAuth.get(id);
        String user = userOf(client);
        Object asked = auth instanceof Map<?, ?> map ? map.get("name") : null;
        String name = null;
        if (asked != null) {
            Names.Grant grant = names.claimAtConnect(id.toString(), user, asked);
            name = grant.name();
            if (grant.refusal() != null) {
                client.sendEvent(ChatEvents.ERROR, WireCodec.refused(ChatEvents.SET_NAME, grant.refusal()));
            }
        }
        presence.admit(id, name, user);
        Resume resume = Resume.parse(auth);
        if (resume == null) {
            // Nothing to replay: live at once, in order with routing as everything else.
            history.read(() -> id, admitted -> joinLiveRooms(client, user), reason -> joinLiveRooms(client, user));
            publish(new SessionEvent.ClientConnected(id.toString(), auth));
            return;
        }
        // In order with every message routed: replay what the socket missed (Replay), then put it
        // where live traffic reaches it (Node puts every socket in a room named by its id;
        // netty-socketio does not). Nothing live can overtake the replay.
        history.readInBackground(() -> {
            List<String> rooms = resume.rooms(Users.isLasting(user) ? history.store().roomsOf(user) : Set.of());
            return new Resume.Plan(rooms, resume.cursors(history.store(), user, rooms));
        }, plan -> {
            // Restored memberships cost what join-room costs; past the budget the client joins itself.
            List<String> restored = new ArrayList<>();
            for (String room : plan.rooms()) {
                if (overRate(client).isPresent()) {
                    break;
                }
                restored.add(room);
                presence.joinedRoom(id, room);
            }
            new Replay(history, engine, client, user, plan.cursorsWithin(restored), () -> goLive(client, user, restored),
                    replayTimer).startUnderLock();
        }, reason -> {
            ThrottledLog.warn(LOG, "replay failures").log("Could not replay history to {}: {}", id, reason);
            joinLiveRooms(client, user);
        });
        publish(new SessionEvent.ClientConnected(id.toString(), auth));
    }

    /** After the replay: the rooms restored that the socket has not left meanwhile, then the live rooms. */
    private void goLive(SocketIOClient client, String user, List<String> restored) {
        for (String room : restored) {
            if (presence.isInRoom(client.getSessionId(), room)) {
                client.joinRoom(room);
            }
        }
        joinLiveRooms(client, user);
    }

    /** Where live traffic reaches a socket: its id room, its user's room, and everyone. */
    private static void joinLiveRooms(SocketIOClient client, String user) {
        client.joinRoom(client.getSessionId().toString());
        client.joinRoom(USER_ROOM + user);
        client.joinRoom(EVERYONE_ROOM);
    }

    /** Compares digests in constant time, so response timing says nothing about the password. */
    private boolean passwordMatches(Object auth) {
        Object given = auth instanceof Map<?, ?> map ? map.get("password") : null;
        return given instanceof String text && MessageDigest.isEqual(sha256(text), sha256(config.password()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void onSendMessage(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object text = args.size() > 0 ? args.get(0) : null;
        Object room = args.size() > 1 ? args.get(1) : "";
        Object extra = args.size() > 2 ? args.get(2) : null;
        WireCodec.SendOptions options = SendOptionsRule.read(extra);
        if (refused(client, ack, ChatEvents.SEND_MESSAGE, overRate(client).or(() -> refuseBinary(text, room, extra))
                .or(() -> WireRules.checkMessage(text)).or(() -> WireRules.checkTargetRoom(room))
                .or(() -> SendOptionsRule.check(extra))
                .or(() -> options.toUser() == null ? refuseDeparted(room) : Optional.empty()))) {
            return;
        }
        String roomName = room == null ? "" : (String) room;
        String from = client.getSessionId().toString();
        String sender = userOf(client);
        MessageKind kind = options.toUser() != null ? MessageKind.DIRECT : kindOf(roomName);
        String recipient = kind != MessageKind.DIRECT ? null
                : options.toUser() != null ? options.toUser() : users.getOrDefault(UUID.fromString(roomName), "s:" + roomName);
        String conversation = switch (kind) {
            case EVERYONE -> Conversations.EVERYONE;
            case ROOM -> Conversations.room(roomName);
            default -> Conversations.direct(sender, recipient);
        };
        ChatMessage message = new ChatMessage((String) text, from, kind, kind == MessageKind.ROOM ? roomName : null,
                Instant.now(), UUID.randomUUID().toString(), names.nameOf(from), 0, false, conversation, sender,
                options.clientId());
        history.append(Conversations.toStore(conversation, message, sender, options.clientId()), stored -> {
            // A retry of a message stored before is acked again, never delivered again.
            if (stored.message().id().equals(message.id())) {
                presence.announceArrival(client.getSessionId());
                Object[] wireArgs = {message.text(), WireCodec.encodeMeta(message.numbered(conversation, stored.seq()))};
                String to = switch (kind) {
                    case EVERYONE -> EVERYONE_ROOM;
                    case ROOM -> roomName;
                    default -> options.toUser() != null ? USER_ROOM + recipient : roomName;
                };
                server.getRoomOperations(to).sendEvent(ChatEvents.RECEIVE_MESSAGE, client, wireArgs);
            }
        }, stored -> {
            // Acked once on the disk: what the sender is told is sent survives even a power cut.
            if (ack.isAckRequested()) {
                ack.sendAckData(WireCodec.sendAccepted(stored.message().id().equals(message.id())
                        ? message.numbered(conversation, stored.seq()) : Conversations.fromStore(stored, sender)));
            }
        }, reason -> refuse(client, ack, ChatEvents.SEND_MESSAGE, reason));
    }

    private void onSetName(SocketIOClient client, Object asked, AckRequest ack) {
        if (refused(client, ack, ChatEvents.SET_NAME, overRate(client).or(() -> refuseBinary(asked)))) {
            return;
        }
        Names.Grant grant = names.rename(client.getSessionId().toString(), userOf(client), asked);
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
    private void onTyping(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object room = args.size() > 0 ? args.get(0) : "";
        Object active = args.size() > 1 ? args.get(1) : Boolean.TRUE;
        if (refused(client, ack, ChatEvents.TYPING, overRate(client).or(() -> refuseBinary(room, active))
                .or(() -> WireRules.checkTargetRoom(room))
                .or(() -> active instanceof Boolean ? Optional.empty() : Optional.of("active must be true or false")))) {
            return;
        }
        String roomName = room == null ? "" : (String) room;
        String from = client.getSessionId().toString();
        MessageKind kind = kindOf(roomName);
        Object payload = WireCodec.encodeTyping(new WireCodec.Typing(from, names.nameOf(from), kind,
                kind == MessageKind.ROOM ? roomName : null, (Boolean) active));
        if (kind == MessageKind.EVERYONE) {
            server.getRoomOperations(EVERYONE_ROOM).sendEvent(ChatEvents.TYPING, client, payload);
        } else {
            server.getRoomOperations(roomName).sendEvent(ChatEvents.TYPING, client, payload);
        }
    }

    /** {@code history({room} | {with} | {}, before?, limit?)}: a page of a conversation the asker may read. */
    private void onHistory(SocketIOClient client, Object query, AckRequest ack) {
        if (refused(client, ack, ChatEvents.HISTORY, overRate(client).or(() -> refuseBinary(query)))) {
            return;
        }
        if (!ack.isAckRequested()) {
            refuse(client, ack, ChatEvents.HISTORY, "ask for history with an acknowledgement callback");
            return;
        }
        if (engine.backlog(client) > MAX_BACKLOG_FOR_HISTORY) {
            refuse(client, ack, ChatEvents.HISTORY, "read what was sent to you first; try again in a moment");
            return;
        }
        HistoryQuery.Parsed parsed = HistoryQuery.parse(query);
        if (parsed.refusal() != null) {
            refuse(client, ack, ChatEvents.HISTORY, parsed.refusal());
            return;
        }
        String conversation;
        if (parsed.room() != null) {
            if (!presence.isInRoom(client.getSessionId(), parsed.room())) {
                refuse(client, ack, ChatEvents.HISTORY, "join " + parsed.room() + " to read its history");
                return;
            }
            conversation = Conversations.room(parsed.room());
        } else if (parsed.with() != null) {
            if (!isConnectedSocketId(parsed.with())) {
                refuse(client, ack, ChatEvents.HISTORY, "nobody with id " + parsed.with() + " is connected");
                return;
            }
            conversation = Conversations.direct(userOf(client), users.getOrDefault(UUID.fromString(parsed.with()), "s:" + parsed.with()));
        } else {
            conversation = Conversations.EVERYONE;
        }
        String reader = userOf(client);
        history.read(() -> history.store().before(conversation, parsed.before(), parsed.limit() + 1),
                page -> ack.sendAckData(WireCodec.encodeHistory(Conversations.page(page, parsed.limit(), reader))),
                reason -> refuse(client, ack, ChatEvents.HISTORY, reason));
    }

    private String userOf(SocketIOClient client) {
        return users.computeIfAbsent(client.getSessionId(), id -> Users.of(null, id));
    }

    private void onJoinRoom(SocketIOClient client, Object room, AckRequest ack) {
        changeMembership(client, room, ack, ChatEvents.JOIN_ROOM, SocketIOClient::joinRoom, "Joined ");
    }

    private void onLeaveRoom(SocketIOClient client, Object room, AckRequest ack) {
        changeMembership(client, room, ack, ChatEvents.LEAVE_ROOM, SocketIOClient::leaveRoom, "Left ");
    }

    /** Validates the room, applies the change, and acks {@code "<verb> <room>"} (the tutorial's text). */
    private void changeMembership(SocketIOClient client, Object room, AckRequest ack, String event,
            java.util.function.BiConsumer<SocketIOClient, String> change, String ackPrefix) {
        Optional<String> refusal = refuseBinary(room).or(() -> RoomRules.checkJoinable(room));
        boolean joining = event.equals(ChatEvents.JOIN_ROOM);
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
        history.read(() -> {
            if (Users.isLasting(user)) {
                history.store().setMember(user, (String) room, joining);
            }
            return room;
        }, joined -> {
            change.accept(client, (String) room);
            if (event.equals(ChatEvents.JOIN_ROOM)) {
                presence.joinedRoom(client.getSessionId(), (String) room);
            } else {
                presence.leftRoom(client.getSessionId(), (String) room);
            }
            if (ack.isAckRequested()) {
                ack.sendAckData(ackPrefix + room);
            }
        }, reason -> refuse(client, ack, event, reason));
    }

    private void onCustomEvent(SocketIOClient client, String event, List<Object> args, AckRequest ack) {
        if (refused(client, ack, event, overRate(client).or(() -> refuseBinary(args == null ? null : args.toArray()))
                .or(() -> WireRules.checkEventName(event)))) {
            return;
        }
        publish(new SessionEvent.CustomEventReceived(event, args == null ? List.of() : args,
                client.getSessionId().toString()));
        if (ack.isAckRequested()) {
            // The confirmation first (what a tutorial callback reads), then the arguments back.
            List<Object> reply = new ArrayList<>();
            reply.add("Received " + event);
            reply.addAll(args == null ? List.of() : args);
            ack.sendAckData(reply);
        }
    }

    /** Takes one chat event from the socket's, its user's and its address's budgets; past one, says why. */
    private Optional<String> overRate(SocketIOClient client) {
        String user = userOf(client);
        return budgets.take(client.getSessionId(), client.getRemoteAddress(), Users.isLasting(user) ? user : null);
    }

    /**
     * Binary arguments reach the host intact, but the chat does not carry them yet (they would be
     * neither stored nor shown): refused with a reason, bytes travel as base64 text.
     */
    private static Optional<String> refuseBinary(Object... values) {
        return values != null && containsBinary(java.util.Arrays.asList(values)) ? Optional.of(BINARY_REFUSED) : Optional.empty();
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
    private Optional<String> refuseDeparted(Object room) {
        return room instanceof String id && looksLikeSocketId(id) && !isConnectedSocketId(id)
                ? Optional.of("nobody with id " + id + " is connected (they may have left)")
                : Optional.empty();
    }

    /** The one refusal preamble: when there is a reason, tells the sender and says so. */
    private boolean refused(SocketIOClient client, AckRequest ack, String event, Optional<String> refusal) {
        refusal.ifPresent(reason -> refuse(client, ack, event, reason));
        return refusal.isPresent();
    }

    private void refuse(SocketIOClient client, AckRequest ack, String event, String reason) {
        Object error = WireCodec.refused(event, reason);
        if (ack.isAckRequested()) {
            ack.sendAckData(error);
        } else {
            client.sendEvent(ChatEvents.ERROR, error);
        }
    }

    /** What the {@code room} argument of {@code send-message} (and {@code typing}) addresses. */
    private MessageKind kindOf(String roomName) {
        return roomName.isEmpty() ? MessageKind.EVERYONE
                : isConnectedSocketId(roomName) ? MessageKind.DIRECT : MessageKind.ROOM;
    }

    private boolean isConnectedSocketId(String room) {
        // Rooms are case-sensitive: only the canonical (lower-case) id names a socket's room.
        return looksLikeSocketId(room) && UUID.fromString(room).toString().equals(room)
                && server.getClient(UUID.fromString(room)) != null;
    }

    private static boolean looksLikeSocketId(String room) {
        return RoomRules.looksLikeSocketId(room);
    }

    private void originRefused(String origin) {
        ThrottledLog.warn(LOG, "refused origins").log("Refused a connection from browser origin {}", origin);
        publish(new SessionEvent.Notice("Refused a browser connection from " + ThrottledLog.peerText(origin)
                + " (not on the allowed origins list)"));
    }

    /** Shows the host's owner a line in the window (HostSession reports a failed announcement so). */
    void notice(String text) {
        publish(new SessionEvent.Notice(text));
    }

    private void publish(SessionEvent event) {
        for (Consumer<SessionEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
