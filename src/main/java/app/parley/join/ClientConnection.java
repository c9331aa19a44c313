package app.parley.join;

import app.parley.join.patch.EventThreadHold;
import app.parley.join.patch.HeartbeatTimers;
import app.parley.join.patch.ProbeFailure;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent;
import app.parley.session.SessionException;
import io.socket.client.Manager;
import io.socket.client.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * A {@link ChatSession} over socket.io-client-java, to any Socket.IO v4 server: a Parley host
 * or a tutorial Node server. Parley additions (sender ids, peers, acks on send) are used when
 * the server offers them and not required.
 *
 * <p>Listeners run on socket.io-client-java's EventThread; this class never blocks it.
 */
public final class ClientConnection implements ChatSession {
    /** How long a request waits for the server's acknowledgement. */
    static final Duration ACK_TIMEOUT = Requests.ACK_TIMEOUT;
    /** How long a message may stay unacknowledged before it is reported failed (with Retry). */
    static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);

    private final URI uri;
    private final Options options;
    private final List<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();
    private final OkHttpClient http;
    /** The WebSocket transport's connections (polling's are {@link #http}'s). */
    private final NettyWebSockets webSockets;
    /** Set for {@code https} URLs. */
    private final TrustOnFirstUse trust;

    private final ScheduledExecutorService timers;
    private final Socket socket;
    private final Requests requests;
    /** Parley hosts answer {@code list-peers}; other servers do not ack {@code send-message}. */
    private volatile boolean parleyHost;

    private final PeerList peers = new PeerList(this::publish);
    private final Typists typists;
    private final Outbox outbox;
    private final Delivery delivery;
    private final FileTransfers files;
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
     * @param advertisedFingerprint for {@code https}: what the host announced on the local network;
     *                          unless {@code knownHosts} already remembers the address, the host
     *                          must present exactly this certificate; null otherwise
     */
    public record Options(
            List<String> transports,
            Map<String, List<String>> extraHeaders,
            boolean reconnect,
            Map<String, String> auth,
            Path knownHosts,
            Path outboxes,
            String pinnedFingerprint,
            String advertisedFingerprint,
            Duration reconnectDelay,
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
        this.trust = HttpClients.trustFor(uri, options, this::publish);
        this.http = HttpClients.client(trust);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-client-timers");
            t.setDaemon(true);
            return t;
        });
        this.auth = new ConcurrentHashMap<>(options.auth());
        if (auth.containsKey("user")) {
            auth.put("caughtUp", true); // this client resumes: a Parley host says where each conversation stood
        }
        this.webSockets = new NettyWebSockets(trust, HttpClients.CONNECT_TIMEOUT);
        this.socket = LibrarySocket.create(uri, options, auth, http, webSockets);
        this.requests = new Requests(socket, timers, uri, () -> parleyHost, this::publish);
        this.typists = new Typists(timers, this::publish);
        this.outbox = new Outbox(
                Outbox.fileFor(options.outboxes(), uri, options.auth().get("user")));
        this.delivery = new Delivery(outbox, timers, LibrarySocket.wire(socket), options.deliveryDeadline());
        this.files = new FileTransfers(
                LibrarySocket.files(socket),
                timers,
                () -> parleyHost,
                peers::userOf,
                delivery::ownMessage,
                this::publish,
                uri.toString());
        this.reconnects = new ReconnectSchedule(
                timers,
                options.reconnectDelay(),
                () -> closed || socket.connected(),
                status -> publish(new SessionEvent.StateChanged(ConnectionState.RECONNECTING, status)),
                this::attemptNow);
        wire();
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
    public app.parley.session.FileTransfer sendFile(Target target, Path file, String clientId) {
        return files.send(target, file, clientId);
    }

    @Override
    public app.parley.session.FileTransfer receiveFile(app.parley.protocol.ChatMessage message, Path destination) {
        return files.receive(message, destination);
    }

    @Override
    public List<app.parley.session.PendingMessage> pending() {
        return delivery.pending().stream()
                .map(e -> new app.parley.session.PendingMessage(e.cid(), Target.fromWireRoom(e.room()), e.text()))
                .toList();
    }

    @Override
    public void retryNow() {
        reconnects.now();
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
        // retry on a failed one (HttpClients.pollingCalls): start from fresh ones.
        http.connectionPool().evictAll();
        socket.connect();
    }

    @Override
    public CompletableFuture<String> joinRoom(String room) {
        return requests.joinRoom(room);
    }

    @Override
    public CompletableFuture<String> leaveRoom(String room) {
        return requests.leaveRoom(room);
    }

    @Override
    public CompletableFuture<String> rename(String name) {
        return requests.rename(name);
    }

    @Override
    public CompletableFuture<WireCodec.HistoryPage> history(Target conversation, long beforeSeq, int limit) {
        return requests.history(conversation, beforeSeq, limit);
    }

    @Override
    public void typing(Target target, boolean active) {
        if (parleyHost && socket.connected() && typists.shouldSignal(target.wireRoom(), active)) {
            socket.emit(ChatEvents.TYPING, target.wireRoom(), active);
        }
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
        files.close();
        timers.shutdownNow();
        outbox.close();
        if (holdsEventThread.compareAndSet(true, false)) {
            EventThreadHold.release();
        }
        LibrarySocket.shutDownLater(http, webSockets);
        publish(new SessionEvent.StateChanged(ConnectionState.DISCONNECTED, "You left the session"));
    }

    /** Connected (again): rejoin the rooms, ask who is here, and learn whether this is a Parley host. */
    private void onConnect() {
        everConnected = true;
        reconnects.reset();
        publish(new SessionEvent.Connected(socket.id()));
        publish(new SessionEvent.StateChanged(ConnectionState.CONNECTED, "Connected to " + endpoint()));
        requests.rejoinRooms();
        // Parley hosts answer with who is here, then send changes; other servers never answer, and that is fine.
        socket.emit(ChatEvents.LIST_PEERS, new Object[0], ack -> onPeers(ack.length > 0 ? ack[0] : null));
        // Messages written before the first connection wait for the answer; without one, the
        // server is a tutorial server and they go at most once.
        timers.schedule(
                () -> {
                    if (!parleyHost && socket.connected()) {
                        delivery.sendAtMostOnce(e -> socket.emit(ChatEvents.SEND_MESSAGE, e.text(), e.room()));
                        files.notParley();
                    }
                },
                3,
                TimeUnit.SECONDS);
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
        files.closed();
        String reason = args.length > 0 ? String.valueOf(args[0]) : "";
        if ("io server disconnect".equals(reason)) {
            publish(new SessionEvent.StateChanged(
                    ConnectionState.DISCONNECTED, ConnectionErrors.describeDisconnect(reason)));
        } else {
            scheduleReconnect(ConnectionErrors.describeDisconnect(reason));
        }
    }

    private void wire() {
        socket.on(Socket.EVENT_CONNECT, args -> whileOpen(this::onConnect));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> whileOpen(() -> onConnectError(args)));
        socket.on(Socket.EVENT_DISCONNECT, args -> whileOpen(() -> onDisconnect(args)));
        new Incoming(delivery, typists, peers, this::onPeers, this::publish).listenTo(socket);
        // Before the engine socket's first heartbeat timer and its upgrade probe: see the two patches.
        socket.io().on(Manager.EVENT_OPEN, args -> {
            HeartbeatTimers.install(socket.io());
            ProbeFailure.install(socket.io());
        });
    }

    /** The whole peers list; a payload of the wrong shape is ignored. */
    private void onPeers(Object payload) {
        WireCodec.decodePeers(JsonTrees.toPlain(payload)).ifPresent(list -> {
            parleyHost = true;
            peers.replace(list);
            // A Parley host keeps what it acks: what waits in the outbox can go now.
            delivery.opened();
            files.opened();
        });
    }

    private void publish(SessionEvent event) {
        for (Consumer<SessionEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
