package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent;
import app.parley.session.SessionException;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import app.parley.session.DataDir;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import org.json.JSONArray;

/**
 * A {@link ChatSession} over socket.io-client-java, to any Socket.IO v4 server: a Parley host
 * or a tutorial Node server. Parley additions (sender ids, peers, acks on send) are used when
 * the server offers them and not required.
 *
 * <p>Listeners run on socket.io-client-java's EventThread; this class never blocks it.
 */
public final class ClientConnection implements ChatSession {
    /** How long a request waits for the server's acknowledgement. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    /** How long a message may stay unacknowledged before it is reported failed (with Retry). */
    static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);

    private final URI uri;
    private final Options options;
    private final List<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final OkHttpClient http;
    /** Set for {@code https} URLs. */
    private final TrustOnFirstUse trust;
    private final ScheduledExecutorService timers;
    private final Socket socket;
    /** Parley hosts answer {@code list-peers}; other servers do not ack {@code send-message}. */
    private volatile boolean parleyHost;
    private final PeerList peers = new PeerList(this::publish);
    private final Typists typists;
    private final Outbox outbox;
    private final Delivery delivery;
    /** The handshake {@code auth}; mutable, because each reconnect says what was seen ({@code resume}). */
    private final Map<String, Object> auth;
    private final ReconnectSchedule reconnects;
    private volatile boolean everConnected;
    private volatile boolean closed;
    /** From open to close this connection keeps socket.io-client's event thread alive: see EventThreadHold. */
    private final AtomicBoolean holdsEventThread = new AtomicBoolean();

    /**
     * Connection options, built with {@link #builder()}; {@link #defaults()} suits people, tests
     * may pick a transport.
     *
     * @param auth the handshake {@code auth} payload (a host's password goes here, never in the URL)
     * @param knownHosts where the fingerprints of TLS hosts are remembered (trust on first use)
     * @param pinnedFingerprint for {@code https}: accept exactly this certificate (SHA-256,
     *                          {@code AB:CD:…}) without consulting {@code knownHosts}; null otherwise
     */
    public record Options(List<String> transports, Map<String, List<String>> extraHeaders, boolean reconnect,
            Map<String, String> auth, Path knownHosts, String pinnedFingerprint, Duration reconnectDelay,
            Duration deliveryDeadline) {
        public static Options defaults() {
            return builder().build();
        }

        public static OptionsBuilder builder() {
            return new OptionsBuilder();
        }

        /** Keeps a password out of logs. */
        @Override
        public String toString() {
            return "Options[" + transports + (auth.isEmpty() ? "" : ", auth set") + "]";
        }
    }

    public ClientConnection(URI uri, Options options) {
        this.uri = uri;
        this.options = options;
        // Our own OkHttp client, so close() can stop its threads; the library's shared one keeps
        // the JVM alive for a minute after the last socket closes.
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .readTimeout(1, TimeUnit.MINUTES)
                .connectTimeout(10, TimeUnit.SECONDS);
        if ("https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme())) {
            this.trust = new TrustOnFirstUse(endpointOf(uri), options.knownHosts(), options.pinnedFingerprint(),
                    fingerprint -> publish(new SessionEvent.Notice("First secure connection to " + endpointOf(uri)
                            + ". Its certificate fingerprint (SHA-256) is " + fingerprint + ". Parley remembers it"
                            + " and will refuse this address if the certificate ever changes.")));
            builder.sslSocketFactory(tlsSocketFactory(trust), trust)
                    // The certificate is pinned by fingerprint; the name in it does not matter.
                    .hostnameVerifier((host, session) -> true);
        } else {
            this.trust = null;
        }
        this.http = builder.build();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-client-timers");
            t.setDaemon(true);
            return t;
        });
        this.auth = new ConcurrentHashMap<>(options.auth());
        @SuppressWarnings({"unchecked", "rawtypes"}) // the library types auth as strings; JSON objects serialise as well
        Map<String, String> authAsTheLibraryTypesIt = (Map) auth;
        IO.Options io = IO.Options.builder()
                .setForceNew(true)
                .setMultiplex(false)
                // Our own schedule (scheduleReconnect): it can say when the next attempt is, and
                // each attempt carries what this client has seen.
                .setReconnection(false)
                .setTimeout(10_000)
                .setTransports(options.transports().toArray(String[]::new))
                .setExtraHeaders(options.extraHeaders())
                .setAuth(authAsTheLibraryTypesIt)
                .build();
        io.callFactory = pollingCalls(http);
        io.webSocketFactory = new CloseReplies(http);
        this.socket = IO.socket(uri, io);
        this.typists = new Typists(timers, this::publish);
        this.outbox = new Outbox(outboxFile(uri, options.auth()));
        this.delivery = new Delivery(outbox, timers, this::transmit,
                options.deliveryDeadline());
        this.reconnects = new ReconnectSchedule(timers, options.reconnectDelay(), () -> closed || socket.connected(),
                status -> publish(new SessionEvent.StateChanged(ConnectionState.RECONNECTING, status)), this::attemptNow);
        wire();
    }

    private static javax.net.ssl.SSLSocketFactory tlsSocketFactory(TrustOnFirstUse trust) {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }

    /**
     * HTTP calls for the polling transport. A long poll of an open session (a GET with a
     * {@code sid}) gets a connection of its own and is never retried by OkHttp: one it quietly
     * sent again after a reset would fetch the next batch while the server counts the lost one as
     * delivered, a gap nobody sees. Failing instead makes the client reconnect and resume from
     * what it has (docs/PROTOCOL.md §4.9). Everything else keeps OkHttp's retry, which also covers
     * servers that close the connection after every poll.
     */
    private static okhttp3.Call.Factory pollingCalls(OkHttpClient http) {
        // Its own pool: a connection kept alive from an earlier request may have been closed by
        // the server, and without a retry that would fail the poll.
        OkHttpClient noRetry = http.newBuilder().retryOnConnectionFailure(false)
                .connectionPool(new okhttp3.ConnectionPool()).build();
        return request -> {
            boolean longPoll = "GET".equals(request.method()) && request.url().queryParameter("sid") != null;
            return longPoll ? noRetry.newCall(request.newBuilder().header("Connection", "close").build())
                    : http.newCall(request);
        };
    }

    /** One outbox per host and user, in the data directory; none for a client without a user key. */
    private static Path outboxFile(URI uri, Map<String, String> auth) {
        String user = auth.get("user");
        if (user == null) {
            return null;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((uri.toString() + "\n" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return DataDir.get().resolve("outbox").resolve(java.util.HexFormat.of().formatHex(digest, 0, 12) + ".json");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String endpointOf(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        return uri.getHost() + ":" + port;
    }

    @Override
    public void addListener(Consumer<SessionEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void open() {
        if (holdsEventThread.compareAndSet(false, true)) {
            EventThreadHold.acquire();
        }
        publish(new SessionEvent.StateChanged(ConnectionState.CONNECTING, "Connecting to " + endpoint()));
        socket.connect();
    }

    @Override
    public CompletableFuture<Void> send(Target target, String text, String clientId) {
        Optional<String> refusal = WireRules.checkMessage(text).or(() -> WireRules.checkTargetRoom(target.wireRoom()));
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Not sent: " + refusal.get()));
        }
        if (!parleyHost && socket.connected()) {
            // Tutorial servers never acknowledge send-message: at most once, as the tutorial is.
            socket.emit(ChatEvents.SEND_MESSAGE, text, target.wireRoom());
            return CompletableFuture.completedFuture(null);
        }
        String toUser = target instanceof Target.Direct direct ? peers.userOf(direct.socketId()) : null;
        return delivery.send(new Outbox.Entry(clientId, target.wireRoom(), toUser, text, System.currentTimeMillis()));
    }

    @Override
    public List<app.parley.session.PendingMessage> pending() {
        return delivery.pending().stream().map(e -> new app.parley.session.PendingMessage(e.cid(),
                Target.fromWireRoom(e.room()), e.text())).toList();
    }

    @Override
    public void retryNow() {
        reconnects.now();
    }

    /** Delivery's {@link Delivery.Wire}: one {@code send-message} with its client id. */
    private void transmit(java.util.function.BooleanSupplier mayTransmit, Outbox.Entry entry, Consumer<Object> onAck) {
        Object options = JsonTrees.toJson(WireCodec.encodeSendOptions(new WireCodec.SendOptions(entry.cid(), entry.toUser())));
        // On the socket's own thread, and only while connected and Delivery says so: the library
        // would otherwise buffer it while offline and send it on reconnect ahead of older messages
        // still in the outbox, and the host would store them out of order.
        io.socket.thread.EventThread.exec(() -> {
            if (socket.connected() && mayTransmit.getAsBoolean()) {
                socket.emit(ChatEvents.SEND_MESSAGE, new Object[] {entry.text(), entry.room(), options},
                        ack -> onAck.accept(ack.length > 0 ? JsonTrees.toPlain(ack[0]) : null));
            }
        });
    }

    /** After a lost connection: the next attempt as {@link ReconnectSchedule} plans it, unless reconnecting is off. */
    private void scheduleReconnect(String why) {
        if (closed || !options.reconnect()) {
            publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, why));
            return;
        }
        reconnects.after(why);
    }

    private void attemptNow() {
        if (closed || socket.connected()) {
            return;
        }
        Map<String, Object> resume = delivery.resumeState();
        if (resume != null) {
            auth.put("resume", resume);
        }
        publish(new SessionEvent.StateChanged(ConnectionState.RECONNECTING, "Reconnecting to " + endpoint() + "…"));
        // Kept-alive connections from before the loss are likely dead, and OkHttp is told not to
        // retry on a failed one (see the constructor): start from fresh ones.
        http.connectionPool().evictAll();
        socket.connect();
    }

    @Override
    public CompletableFuture<String> joinRoom(String room) {
        Optional<String> refusal = WireRules.checkRoomName(room);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot join: " + refusal.get()));
        }
        return request(ChatEvents.JOIN_ROOM, room).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot join " + room + ": " + reason);
            });
            rooms.add(room);
            publishRooms();
            return args.length > 0 ? String.valueOf(args[0]) : "Joined " + room;
        });
    }

    @Override
    public CompletableFuture<String> leaveRoom(String room) {
        Optional<String> refusal = WireRules.checkRoomName(room);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot leave: " + refusal.get()));
        }
        return request(ChatEvents.LEAVE_ROOM, room).handle((args, failure) -> {
            rooms.remove(room);
            publishRooms();
            if (failure != null) {
                throw new SessionException("Left " + room + " here; the server did not confirm (it may not support leave-room)");
            }
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot leave " + room + ": " + reason);
            });
            return args.length > 0 ? String.valueOf(args[0]) : "Left " + room;
        });
    }

    @Override
    public CompletableFuture<String> rename(String name) {
        Optional<String> refusal = WireRules.checkNickname(name);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot rename: " + refusal.get()));
        }
        if (!parleyHost) {
            return CompletableFuture.failedFuture(new SessionException("This server does not know names"));
        }
        return request(ChatEvents.SET_NAME, name).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot rename: " + reason);
            });
            Object granted = args.length > 0 && JsonTrees.toPlain(args[0]) instanceof Map<?, ?> m ? m.get("name") : null;
            return granted instanceof String s ? s : name;
        });
    }

    @Override
    public void typing(Target target, boolean active) {
        if (parleyHost && socket.connected() && typists.shouldSignal(target.wireRoom(), active)) {
            socket.emit(ChatEvents.TYPING, target.wireRoom(), active);
        }
    }

    @Override
    public CompletableFuture<WireCodec.HistoryPage> history(Target conversation, long beforeSeq, int limit) {
        if (!parleyHost) {
            return CompletableFuture.failedFuture(new SessionException("This server keeps no history"));
        }
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        if (conversation instanceof Target.Room room) {
            query.put("room", room.name());
        } else if (conversation instanceof Target.Direct direct) {
            query.put("with", direct.socketId());
        }
        if (beforeSeq < Long.MAX_VALUE) {
            query.put("before", beforeSeq);
        }
        query.put("limit", limit);
        return request(ChatEvents.HISTORY, JsonTrees.toJson(query)).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("No history: " + reason);
            });
            Object ack = args.length > 0 ? JsonTrees.toPlain(args[0]) : null;
            return WireCodec.decodeHistory(ack, Instant.now())
                    .orElseThrow(() -> new SessionException("No history: the server's answer was not a history page"));
        });
    }

    @Override
    public void emitCustom(String event, List<Object> args) {
        WireRules.checkEventName(event).ifPresent(reason -> {
            throw new SessionException("Cannot emit: " + reason);
        });
        Object[] json = args.stream().map(JsonTrees::toJson).toArray();
        socket.emit(event, json);
    }

    @Override
    public String socketId() {
        return socket.connected() ? socket.id() : null;
    }

    @Override
    public String endpoint() {
        return uri.toString();
    }

    /** The library's connection manager, for tests in this package. */
    Manager manager() {
        return socket.io();
    }

    public boolean isParleyHost() {
        return parleyHost;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.off();
        socket.io().off();
        socket.close();
        delivery.closed();
        timers.shutdownNow();
        outbox.close();
        if (holdsEventThread.compareAndSet(true, false)) {
            EventThreadHold.release();
        }
        // Leaving sends packets (41, and 1 on polling) on the HTTP client's threads: let them go
        // out before those threads stop, so the host sees the goodbye instead of a ping timeout.
        java.util.concurrent.CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS).execute(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
        publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, "You left the session"));
    }

    /** Connected (again): rejoin the rooms, ask who is here, and learn whether this is a Parley host. */
    private void onConnect() {
        everConnected = true;
        reconnects.reset();
        publish(new SessionEvent.Connected(socket.id()));
        publish(new SessionEvent.StateChanged(ConnectionState.CONNECTED, "Connected to " + endpoint()));
        rejoinRooms();
        // Parley hosts answer with who is here, then send changes; other servers never answer, and that is fine.
        socket.emit(ChatEvents.LIST_PEERS, new Object[0], ack -> onPeers(ack.length > 0 ? ack[0] : null));
        // Messages written before the first connection wait for the answer; without one, the
        // server is a tutorial server and they go at most once.
        timers.schedule(() -> {
            if (!parleyHost && socket.connected()) {
                delivery.sendAtMostOnce(e -> socket.emit(ChatEvents.SEND_MESSAGE, e.text(), e.room()));
            }
        }, 3, TimeUnit.SECONDS);
    }

    /**
     * Runs a socket-lifecycle handler unless the connection is closed. socket.io emits from a copy
     * of its listeners, so one can still run after close(), or while it runs on another thread and
     * shuts down the timers the handler schedules on: nobody listens any more then, and that
     * failure is dropped.
     */
    private void whileOpen(Runnable handler) {
        if (closed) {
            return;
        }
        try {
            handler.run();
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** The connection failed: a changed certificate or a refusal ends it, anything else is retried. */
    private void onConnectError(Object[] args) {
        if (trust != null && trust.refusal() != null) {
            // A changed certificate: retrying cannot help and must not happen quietly.
            socket.io().reconnection(false);
            socket.close();
            publish(new SessionEvent.Notice(trust.refusal()));
            publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, trust.refusal()));
            return;
        }
        delivery.closed();
        Object error = args.length > 0 ? args[0] : null;
        String reason = ConnectionErrors.describe(error, endpoint());
        // The server itself said no (a wrong password): trying again cannot help. A host that
        // is stopping said no too, and may be back in a moment.
        boolean refused = error instanceof org.json.JSONObject refusal
                && !"the host is stopping".equals(refusal.optString("message"));
        if (refused) {
            socket.close();
            publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, reason));
        } else {
            scheduleReconnect(reason);
        }
    }

    /** The connection dropped: retried, unless the server said goodbye. */
    private void onDisconnect(Object[] args) {
        delivery.closed();
        String reason = args.length > 0 ? String.valueOf(args[0]) : "";
        if ("io server disconnect".equals(reason)) {
            publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, ConnectionErrors.describeDisconnect(reason)));
        } else {
            scheduleReconnect(ConnectionErrors.describeDisconnect(reason));
        }
    }

    private void wire() {
        socket.on(Socket.EVENT_CONNECT, args -> whileOpen(this::onConnect));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> whileOpen(() -> onConnectError(args)));
        socket.on(Socket.EVENT_DISCONNECT, args -> whileOpen(() -> onDisconnect(args)));
        socket.onAnyIncoming(args -> {
            if (args.length > 0 && args[0] instanceof String name) {
                dispatch(name, Arrays.copyOfRange(args, 1, args.length));
            }
        });
        // Before the engine socket's first heartbeat timer: see HeartbeatTimers.
        socket.io().on(Manager.EVENT_OPEN, args -> HeartbeatTimers.install(socket.io()));
        // netty-socketio sends whatever its connect listeners emit before the namespace CONNECT
        // packet. socket.io-client-java 2.1.2 buffers such events and replays them with the event
        // name as an extra first argument, to named listeners only, never to onAnyIncoming: a
        // greeting would read "receive-message" and a custom event would vanish. So take them from
        // the packet, before the socket buffers them.
        socket.io().on(Manager.EVENT_PACKET, args -> {
            if (!socket.connected() && args.length > 0 && args[0] instanceof Packet<?> packet
                    && (packet.type == Parser.EVENT || packet.type == Parser.BINARY_EVENT)
                    && "/".equals(packet.nsp) && packet.data instanceof JSONArray data
                    && data.opt(0) instanceof String name) {
                Object[] rest = new Object[data.length() - 1];
                for (int i = 0; i < rest.length; i++) {
                    rest[i] = data.opt(i + 1);
                }
                dispatch(name, rest);
            }
        });
    }

    /** Every incoming event, however the library delivered it, ends here exactly once. */
    private void dispatch(String name, Object[] args) {
        List<Object> plain = JsonTrees.toPlainList(withoutAck(args));
        Object first = plain.isEmpty() ? null : plain.get(0);
        switch (name) {
            case ChatEvents.RECEIVE_MESSAGE -> {
                var message = WireCodec.decodeReceive(plain, Instant.now());
                if (!delivery.isNew(message)) {
                    return;
                }
                if (message.from() != null) {
                    typists.stopped(Typists.conversationOf(message.kind(), message.room(), message.from()), message.from());
                }
                publish(new SessionEvent.MessageReceived(message));
            }
            case ChatEvents.PEERS -> onPeers(first);
            case ChatEvents.PEERS_CHANGED -> peers.onPeersChanged(first);
            case ChatEvents.ROOM_MEMBERS -> peers.onRoomMembers(first);
            case ChatEvents.TYPING -> WireCodec.decodeTyping(first).ifPresent(typists::heard);
            case ChatEvents.HOST_CLOSING -> publish(new SessionEvent.Notice(
                    "The host is closing the session" + (first != null ? ": " + first : "")));
            case ChatEvents.ERROR -> publish(new SessionEvent.Notice("The server refused a request: "
                    + WireCodec.refusalReason(first).orElse("no reason given")));
            default -> publish(new SessionEvent.CustomEventReceived(name, plain, null));
        }
    }

    /** The library appends an {@link Ack} when the server asked for one; it is not data. */
    private static Object[] withoutAck(Object[] args) {
        return args.length > 0 && args[args.length - 1] instanceof Ack
                ? Arrays.copyOf(args, args.length - 1) : args;
    }

    /** The whole peers list; a payload of the wrong shape is ignored. */
    private void onPeers(Object payload) {
        WireCodec.decodePeers(JsonTrees.toPlain(payload)).ifPresent(list -> {
            parleyHost = true;
            peers.replace(list);
            // A Parley host keeps what it acks: what waits in the outbox can go now.
            delivery.opened();
        });
    }

    /** A new Socket.IO session knows none of our rooms; join them again after a reconnect. */
    private void rejoinRooms() {
        for (String room : List.copyOf(rooms)) {
            // With an ack callback: tutorial servers call it unconditionally and crash without one.
            socket.emit(ChatEvents.JOIN_ROOM, new Object[] {room}, ack -> { });
        }
    }

    private CompletableFuture<Object[]> request(String event, Object... args) {
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        var timeout = timers.schedule(() -> answer.completeExceptionally(new SessionException(
                "No answer from " + endpoint() + " to " + event + " within " + ACK_TIMEOUT.toSeconds() + " s")),
                ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        socket.emit(event, args, ackArgs -> {
            timeout.cancel(false);
            answer.complete(ackArgs);
        });
        return answer;
    }

    private static Optional<String> refusalOf(Object[] ackArgs) {
        return ackArgs.length > 0 ? WireCodec.refusalReason(JsonTrees.toPlain(ackArgs[0])) : Optional.empty();
    }

    private void publishRooms() {
        List<String> sorted = new ArrayList<>(rooms);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        publish(new SessionEvent.RoomsChanged(sorted));
    }

    private void publish(SessionEvent event) {
        for (Consumer<SessionEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
