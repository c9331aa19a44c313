package app.parley.host;

import app.parley.admin.AdminAccount;
import app.parley.admin.AdminNamespace;
import app.parley.cluster.ClusterException;
import app.parley.cluster.RedisStreamsBus;
import app.parley.discovery.Advertiser;
import app.parley.engine.EngineException;
import app.parley.engine.EngineSettings;
import app.parley.engine.SocketIoEngine;
import app.parley.engine.ThrottledLog;
import app.parley.engine.TlsIdentity;
import app.parley.engine.patch.NettySocketIoPatches;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.SessionEvent;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInventory;
import app.parley.sockets.SocketRecorder;
import app.parley.store.FileShelf;
import app.parley.store.StoreException;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.listener.DataListener;
import com.corundumstudio.socketio.listener.MultiTypeEventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * <p>Every listener here runs on a Netty I/O thread and only routes: nothing blocks. Who gets in
 * lives in {@link Admission}, what each chat event does in {@link ChatRequests} ({@code history} in
 * {@link HistoryRequests}).
 */
public final class HostServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostServer.class);
    /** What a refused joiner reads; Parley's client shows it as is. */
    public static final String WRONG_PASSWORD = "wrong password";
    /** Why binary arguments outside the file events are refused (docs/PROTOCOL.md, section 9). */
    public static final String BINARY_REFUSED =
            "binary attachments go only in file events (share bytes as a file); send other bytes as base64 text";
    /** netty-socketio's name for the main namespace, {@code /}. */
    private static final String NAMESPACE = "";
    /** How long a stopping host waits for queued messages to be stored and acked. */
    private static final long DRAIN_MILLIS = 5_000;
    /** How long clients get to receive {@code host-closing} before the sockets close. */
    private static final long CLOSING_GRACE_MILLIS = 300;
    /** How long a stopping host in a cluster waits for its sockets' sessions to reach the others. */
    private static final long HANDOVER_MILLIS = 2_000;

    private final HostConfig config;
    private final List<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Sockets whose CONNECT was accepted (and password, if any, checked), and who hears of them. */
    private Presence presence;
    /** Chat-event budgets per socket, user and address. */
    private final ChatBudgets budgets;

    private final PasswordGuard passwords = new PasswordGuard();
    /** Paces replays and closes connections that used up their password tries. */
    private ScheduledExecutorService replayTimer;
    /** What is known of each socket (handshake, user, name, rooms, budget): one record, one map. */
    private final Guests guests;

    private final Names names = new Names();
    private History history;
    private SocketIoEngine engine;
    private volatile String tlsFingerprint;
    private SocketIOServer server;
    private volatile boolean running;
    /**
     * Announces the running host on the local network; says goodbye first when it stops. Set by
     * start and read from other threads (the window asks for its addresses).
     */
    private volatile Advertiser advertiser = Advertiser.none();
    /** What each chat event of a connected socket does. */
    private ChatRequests chat;
    /** What a {@code history} request of a connected socket gets. */
    private HistoryRequests historyRequests;
    /** Who gets in at CONNECT, and replay before going live. */
    private Admission admission;
    /** What the file events do (docs/PROTOCOL.md §15), and the thread they use the disk on. */
    private FileUploads uploads;

    private FileDownloads downloads;
    private FilesThread filesThread;
    /** The shared files' bytes; in a temporary folder, deleted at close, when the history is. */
    private FileShelf shelf;

    private Path temporaryShelf;
    /** Who may use the Admin UI ({@link #enableAdmin}); null: no {@code /admin} namespace. */
    private AdminAccount adminAccount;
    /** The socket inventory, the control over chat sockets and the admin namespace (§17). */
    private HostSockets sockets;
    /** Writes the inventory {@link #sockets()} reads; made here so a listener may subscribe before the start. */
    private final SocketRecorder recorder = new SocketRecorder();
    /** Socket.IO connection state recovery (docs/PROTOCOL.md §16). */
    private Recovery recovery;
    /** Where room sends go, this host's and, with {@code --cluster}, every other server's (§19). */
    private Rooms rooms;

    public HostServer(HostConfig config) {
        this.config = config;
        this.budgets = new ChatBudgets(config.chatRate());
        this.guests = new Guests(budgets);
    }

    /** Host-side activity: custom events from clients, refused origins. Called on I/O threads. */
    public void addListener(Consumer<SessionEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Binds and starts serving. Blocks until the port is bound (a fraction of a second).
     *
     * @return the port actually bound (useful with port 0)
     * @throws HostException with a readable reason when the port cannot be bound, or when the
     *                       netty-socketio on the class path is not the one the engine was written for
     */
    public synchronized int start() {
        if (running) {
            return port();
        }
        try {
            // Before anything is opened: the engine's constructor already reaches into the library.
            NettySocketIoPatches.requireWrittenAgainstVersion();
        } catch (IllegalStateException e) {
            throw new HostException(e.getMessage(), e);
        }
        EngineSettings settings = EngineSettings.defaults(config.bindAddress(), config.port())
                .withOrigins(config.originPolicy(), this::originRefused)
                .withLimits(config.limits());
        if (config.webClient()) {
            settings = settings.withSite(WebClient.site().orElse(null));
        }
        if (config.tls() != null) {
            try {
                TlsIdentity identity = config.tls().identity();
                settings = settings.withTls(identity);
                tlsFingerprint = identity.fingerprint();
            } catch (EngineException e) {
                throw new HostException(e.getMessage(), e.getCause());
            }
        }
        history = History.open(config, () -> engine == null ? null : engine.currentLoop());
        try {
            shelf = openShelf();
            // A cluster's hosts share files through their shared store, as they share history.
            history.store().fileCopies().ifPresent(shelf::shareThrough);
        } catch (RuntimeException e) {
            history.close();
            throw e;
        }
        FileLinks links = new FileLinks(shelf);
        settings = settings.withDownloads(links);
        engine = new SocketIoEngine(settings);
        server = engine.server();
        presence = new Presence(server);
        Rooms rooms = new Rooms(server.getNamespace(NAMESPACE));
        replayTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-replay");
            t.setDaemon(true);
            return t;
        });
        HostParts parts = new HostParts(engine, history, presence, names, guests, shelf, rooms);
        this.rooms = rooms;
        chat = new ChatRequests(parts, budgets, this::publish);
        historyRequests = new HistoryRequests(parts, chat);
        filesThread = new FilesThread(chat);
        uploads = new FileUploads(parts, chat, filesThread, config.files());
        downloads = new FileDownloads(parts, chat, filesThread, links);
        // SQLite's row numbers follow this host's routing; a shared store's follow no one host's, so
        // then the host numbers what it routes itself (RoutedLog), when recovery is on to use it.
        RoutedLog routed =
                config.store() == null || config.recoveryWindow().isZero() ? null : new RoutedLog(history::store);
        rooms.numberWith(routed);
        recovery = new Recovery(
                config.recoveryWindow(),
                routed != null ? routed : Positions.ofStore(history),
                guests,
                presence,
                replayTimer);
        engine.recovery(recovery.isOn() ? recovery : null);
        chat.keepDirectsFor(recovery::awayUser);
        admission =
                new Admission(config, this::isRunning, passwords, parts, replayTimer, chat, this::publish, recovery);
        sockets = HostSockets.start(
                config, recorder, NAMESPACE, adminAccount, parts, chat, passwords, budgets, replayTimer);
        registerListeners(server);
        try {
            if (config.cluster() != null) {
                RedisStreamsBus bus = RedisStreamsBus.connect(config.cluster(), "/", rooms);
                ClusterPeople people = new ClusterPeople(presence, names, bus, bus.uid(), this::gaveWay);
                // In order only over a shared store: hosts with stores of their own number apart.
                LiveOrder order =
                        config.store() == null ? null : new LiveOrder(history, replayTimer, rooms::deliverStored);
                rooms.join(bus, sockets.inventory(), sockets.control(), people, order);
                if (order != null) {
                    history.routeInOrderWith(order);
                }
                if (order != null && routed != null && recovery.isOn()) {
                    rooms.recoverAcross(recovery.acrossHosts(bus, order, routed));
                }
                sockets.admin()
                        .ifPresent(admin ->
                                admin.joinCluster(bus, handler -> bus.serve(AdminNamespace.NAME, handler), this::port));
                people.start(replayTimer);
            }
            int port = engine.start();
            running = true;
            LOG.info("Parley host listening on {}:{}", config.bindAddress(), port);
            advertiser = advertise(port);
            return port;
        } catch (EngineException | ClusterException e) {
            rooms.leaveCluster();
            presence.close(); // its timer would tick on for a host that never started
            sockets.close();
            replayTimer.shutdownNow();
            filesThread.close();
            uploads.close();
            history.close();
            deleteTemporaryShelf();
            throw new HostException(e.getMessage(), e.getCause());
        }
    }

    /**
     * The shelf beside the history file ({@code history-3000.db} keeps its files in {@code files-3000/}),
     * or in a temporary folder for a temporary history.
     */
    private FileShelf openShelf() {
        Path folder;
        if (config.history() == null) {
            try {
                temporaryShelf = Files.createTempDirectory("parley-files-");
            } catch (IOException e) {
                throw new HostException("Cannot create a temporary folder for shared files: " + e.getMessage(), e);
            }
            folder = temporaryShelf;
        } else {
            String stem = config.history().getFileName().toString().replaceFirst("\\.db$", "");
            folder = config.history()
                    .toAbsolutePath()
                    .getParent()
                    .resolve(stem.startsWith("history-") ? "files-" + stem.substring(8) : stem + "-files");
        }
        try {
            return FileShelf.open(folder, config.files().quotaBytes());
        } catch (StoreException e) {
            throw new HostException(e.getMessage(), e);
        }
    }

    private void deleteTemporaryShelf() {
        if (temporaryShelf == null) {
            return;
        }
        try (var walk = Files.walk(temporaryShelf)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", temporaryShelf);
        }
        temporaryShelf = null;
    }

    /** Starts announcing the bound port, when the config asks for it; never fails the start. */
    private Advertiser advertise(int port) {
        if (!config.advertising().enabled()) {
            return Advertiser.none();
        }
        String version = HostServer.class.getPackage().getImplementationVersion();
        return Advertiser.start(
                config.bindAddress(),
                new Advertiser.Advertisement(
                        config.advertising().sessionName(),
                        port,
                        version == null ? "dev" : version,
                        config.tls() != null,
                        tlsFingerprint,
                        config.requiresPassword(),
                        servesWebClient()));
    }

    /** Where the session is announced on the local network; empty when it is not. */
    public List<String> advertisedOn() {
        return advertiser.addresses();
    }

    public int port() {
        return engine == null ? -1 : engine.port();
    }

    /**
     * Whether this host serves Parley's browser client at {@code /}: asked for in its
     * {@link HostConfig} and present in this build. What the DNS-SD {@code web} key says.
     */
    public boolean servesWebClient() {
        SocketIoEngine running = engine;
        return running != null && running.settings().site() != null;
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

    /** The thread file work waits for; for tests that play a disconnect racing a file's checks. */
    FilesThread filesThread() {
        return filesThread;
    }

    /** The sessions kept for recovery; for tests of their bounds. */
    Recovery recovery() {
        return recovery;
    }

    /** What the host knows of each socket; for tests that play a disconnect racing a packet. */
    Guests guests() {
        return guests;
    }

    /**
     * Serves the official Socket.IO Admin UI's protocol on {@code /admin} to {@code account}
     * (docs/PROTOCOL.md §17). Call before {@link #start()}; off unless called.
     */
    public synchronized void enableAdmin(AdminAccount account) {
        if (running) {
            throw new IllegalStateException("the admin account is set before the host starts");
        }
        adminAccount = account;
    }

    /** Every connected socket, live (docs/PROTOCOL.md §17); empty while the host is not running. */
    public SocketInventory sockets() {
        return recorder.inventory();
    }

    /**
     * Acts on the chat's sockets (join, leave, kick, emit) as their own requests would.
     *
     * @throws IllegalStateException before the host has started
     */
    public SocketControl socketControl() {
        HostSockets started = sockets;
        if (started == null) {
            throw new IllegalStateException("the host has not started");
        }
        return started.control();
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
            return guests.find(UUID.fromString(socketId)).map(Guest::handshakeAuth);
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
        ChatMessage message = new ChatMessage(
                text,
                null,
                MessageKind.ANNOUNCEMENT,
                null,
                Instant.now(),
                UUID.randomUUID().toString());
        CompletableFuture<ChatMessage> sent = new CompletableFuture<>();
        history.append(
                Conversations.toStore(Conversations.EVERYONE, message, null, null),
                stored -> rooms.emitInOrder(
                        Conversations.EVERYONE,
                        stored.seq(),
                        ChatRequests.EVERYONE_ROOM,
                        null,
                        ChatEvents.RECEIVE_MESSAGE,
                        text,
                        WireCodec.encodeMeta(Conversations.fromStore(stored, null)),
                        app.parley.engine.RecoveryOffset.at(stored.position())),
                stored -> sent.complete(Conversations.fromStore(stored, null)),
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
        // Goodbye first, so nobody picks this host from a list while it winds down.
        advertiser.close();
        // Messages already taken are stored and acked before anyone is told to go.
        history.drain(DRAIN_MILLIS);
        server.getBroadcastOperations().sendEvent(ChatEvents.HOST_CLOSING, "its owner stopped hosting");
        try {
            Thread.sleep(CLOSING_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rooms.recoveries().ifPresent(this::handOverSessions);
        presence.close();
        rooms.leaveCluster();
        sockets.close();
        replayTimer.shutdownNow();
        engine.stop();
        filesThread.close();
        uploads.close();
        history.close();
        deleteTemporaryShelf();
        LOG.info("Parley host stopped");
    }

    /**
     * In a cluster, every socket's connection is closed while this host is still in it, so its
     * session is kept and told to the other hosts, where its client reconnects and recovers
     * (docs/PROTOCOL.md §16.1), as a Node server's sessions are kept when it shuts down.
     */
    private void handOverSessions(RecoveryAcrossHosts hosts) {
        // A reconnect landing here meanwhile must neither use a session up nor get a new one.
        recovery.stopping();
        engine.refuseNewConnections();
        engine.closeConnections();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDOVER_MILLIS);
        try {
            while (guests.count() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the disconnects run on the I/O threads
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        hosts.awaitTold(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    /**
     * A socket here gave up its name to the same name granted first on another host of the
     * cluster: everyone hears its new name, and its person is told why.
     */
    private void gaveWay(Names.Yielded gaveWay) {
        UUID id = gaveWay.socket().id();
        presence.rename(id, gaveWay.now());
        SocketIOClient client = server.getNamespace(NAMESPACE).getClient(id);
        if (client != null) {
            String given = gaveWay.resembled() == null
                    ? "\"" + gaveWay.lost() + "\" was given"
                    : "\"" + gaveWay.lost() + "\" looks like \"" + gaveWay.resembled() + "\", given";
            String reason = given + " to someone on another host of this session a moment before you; "
                    + (gaveWay.now() == null ? "you have no name now" : "you are \"" + gaveWay.now() + "\" now");
            client.sendEvent(ChatEvents.ERROR, WireCodec.refused(ChatEvents.SET_NAME, reason));
        }
    }

    private void registerListeners(SocketIOServer s) {
        s.addDisconnectListener(client -> {
            guests.find(client.getSessionId()).ifPresent(guest -> {
                presence.leave(guest.id());
                sockets.chatDisconnected(guest.id());
                names.release(guest);
                guests.remove(guest.id());
            });
            recovery.disconnected(client.getSessionId()); // its id is free: a kept session may now be taken back
        });
        // The engine runs auth listeners on every CONNECT (with its auth payload), and connect
        // listeners only for an accepted one, after the client has its CONNECT answer.
        s.getNamespace(NAMESPACE).addAuthTokenListener(admission::onConnectPacket);
        s.addConnectListener(admission::admit);
        s.addConnectListener(client -> sockets.chatConnected(client));
        s.addMultiTypeEventListener(
                ChatEvents.SEND_MESSAGE,
                knownArgs((client, args, ack) -> chat.onSendMessage(client, args, ack)),
                Object.class,
                Object.class,
                Object.class);
        s.addEventListener(
                ChatEvents.JOIN_ROOM, Object.class, known((client, room, ack) -> chat.onJoinRoom(client, room, ack)));
        s.addEventListener(
                ChatEvents.LEAVE_ROOM, Object.class, known((client, room, ack) -> chat.onLeaveRoom(client, room, ack)));
        s.addEventListener(
                ChatEvents.LIST_PEERS, Object.class, known((client, ignored, ack) -> chat.onListPeers(client, ack)));
        s.addEventListener(ChatEvents.SET_NAME, Object.class, known(chat::onSetName));
        s.addMultiTypeEventListener(
                ChatEvents.TYPING,
                knownArgs((client, args, ack) -> chat.onTyping(client, args, ack)),
                Object.class,
                Object.class);
        s.addEventListener(ChatEvents.HISTORY, Object.class, known(historyRequests::onHistory));
        s.addEventListener(ChatEvents.FILE_OFFER, Object.class, known(uploads::onOffer));
        s.addMultiTypeEventListener(
                ChatEvents.FILE_CHUNK,
                knownArgs((client, args, ack) -> uploads.onChunk(client, args, ack)),
                Object.class,
                Object.class,
                Object.class);
        s.addMultiTypeEventListener(
                ChatEvents.FILE_COMPLETE,
                knownArgs((client, args, ack) -> uploads.onComplete(client, args, ack)),
                Object.class,
                Object.class);
        s.addEventListener(ChatEvents.FILE_CANCEL, Object.class, known(uploads::onCancel));
        s.addEventListener(ChatEvents.FILE_READ, Object.class, known(downloads::onRead));
        s.addEventListener(ChatEvents.FILE_LINK, Object.class, known(downloads::onLink));
        s.addEventListener(
                app.parley.engine.CatchAllJsonSupport.CUSTOM_EVENT, Object.class, known((client, event, ack) -> {
                    if (event instanceof app.parley.engine.CatchAllJsonSupport.CustomEvent custom) {
                        chat.onCustomEvent(client, custom.name(), custom.args(), ack);
                    }
                }));
    }

    /**
     * Drops an event from a socket whose disconnect already ran (a poll cut while its POST was
     * read, on another thread): a stand-in for it would keep a name, a message or a room under a
     * user of the socket's own, which nothing would ever release.
     */
    private <T> DataListener<T> known(DataListener<T> listener) {
        return (client, data, ack) -> {
            if (guests.find(client.getSessionId()).isPresent()) {
                listener.onData(client, data, ack);
            }
        };
    }

    private MultiTypeEventListener knownArgs(MultiTypeEventListener listener) {
        return (client, args, ack) -> {
            if (guests.find(client.getSessionId()).isPresent()) {
                listener.onData(client, args, ack);
            }
        };
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
