package app.parley.admin;

import app.parley.cluster.ClusterBus;
import app.parley.cluster.ClusterHandler;
import app.parley.engine.CatchAllJsonSupport;
import app.parley.engine.EventTap;
import app.parley.engine.ThrottledLog;
import app.parley.sockets.NodeShape;
import app.parley.sockets.SocketChange;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.SocketInventory;
import app.parley.sockets.Transport;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official Socket.IO Admin UI's server protocol on {@link #NAME} (docs/PROTOCOL.md §17), read
 * from {@code socketio/socket.io-admin-ui} {@code lib/index.ts} and served from the host's socket
 * inventory: the login ({@code auth.username}/{@code auth.password}, refused with
 * {@code invalid credentials}), {@code config} and {@code all_sockets} on connect, then
 * {@code socket_connected}, {@code socket_updated}, {@code socket_disconnected},
 * {@code room_joined}/{@code room_left} as they happen and {@code server_stats} every
 * {@link #STATS_MILLIS}; the {@code emit}, {@code join}, {@code leave} and {@code _disconnect}
 * commands go to {@link SocketControl}.
 */
public final class AdminNamespace implements AutoCloseable {
    /** The namespace the official UI connects to by default. */
    public static final String NAME = "/admin";
    /** What a refused login reads: the UI recognises this text and shows its own message. */
    public static final String INVALID_CREDENTIALS = "invalid credentials";
    /** How often {@code server_stats} goes out (the official server's interval). */
    static final long STATS_MILLIS = 2_000;

    static final List<String> FEATURES = List.of(
            "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS");

    private static final Logger LOG = LoggerFactory.getLogger(AdminNamespace.class);

    private final SocketIONamespace namespace;
    private final AdminAccount account;
    private final SocketInventory inventory;
    private final AdminGate gate;
    private final AdminSessions sessions = new AdminSessions();
    /** Logged in by name and password, between the login and the connect listener: they get a session id. */
    private final Set<java.util.UUID> newSessions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final AdminCommands commands;
    private final AdminStats stats;
    private final AdminCluster cluster;
    private final SocketInventory.Subscription subscription;
    private final AdminEventTap events;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-admin-stats");
        t.setDaemon(true);
        return t;
    });

    /**
     * Serves the protocol on {@code namespace} (made by the host as {@link #NAME}), at once.
     *
     * @param clients how many Engine.IO connections the host has now
     */
    public AdminNamespace(
            SocketIONamespace namespace,
            AdminAccount account,
            SocketInventory inventory,
            SocketControl control,
            AdminGate gate,
            IntSupplier clients) {
        this.namespace = namespace;
        this.account = account;
        this.inventory = inventory;
        this.gate = gate;
        this.cluster = new AdminCluster(namespace, inventory);
        this.commands = new AdminCommands(inventory, control, gate, cluster);
        this.stats = new AdminStats(inventory, clients, List.of(SocketControl.CHAT_NAMESPACE, NAME), cluster::port);
        namespace.addAuthTokenListener(this::login);
        namespace.addConnectListener(this::connected);
        namespace.addEventListener(CatchAllJsonSupport.CUSTOM_EVENT, Object.class, this::onCommand);
        subscription = inventory.addListener(this::tell);
        events = new AdminEventTap(namespace);
        timer.scheduleWithFixedDelay(this::sendStats, STATS_MILLIS, STATS_MILLIS, TimeUnit.MILLISECONDS);
    }

    private AuthTokenResult login(Object auth, SocketIOClient client) {
        var shutOut = gate.shutOut(client);
        if (shutOut.isPresent()) {
            return new AuthTokenResult(false, Map.of("message", shutOut.get()));
        }
        Map<?, ?> given = auth instanceof Map<?, ?> map ? map : Map.of();
        boolean bySession = sessions.isOpen(given.get("sessionId"));
        if (bySession || credentialsMatch(given.get("username"), given.get("password"))) {
            gate.succeeded(client);
            if (!bySession) {
                newSessions.add(client.getSessionId());
            }
            return AuthTokenResult.AuthTokenResultSuccess;
        }
        ThrottledLog.warn(LOG, "admin logins refused")
                .log("Refused an admin login from {}: invalid credentials", client.getRemoteAddress());
        gate.failed(client);
        return new AuthTokenResult(false, Map.of("message", INVALID_CREDENTIALS));
    }

    /** Both compared whole, as digests, in constant time: the answer's timing says nothing of either. */
    private boolean credentialsMatch(Object user, Object password) {
        if (!(user instanceof String name) || !(password instanceof String secret)) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(sha256(name), sha256(account.user()));
        boolean passwordMatches = MessageDigest.isEqual(sha256(secret), sha256(account.password()));
        return userMatches & passwordMatches;
    }

    private void connected(SocketIOClient client) {
        if (newSessions.remove(client.getSessionId())) {
            client.sendEvent("session", sessions.open());
        }
        client.sendEvent("config", Map.of("supportedFeatures", FEATURES));
        List<Object> all = new ArrayList<>();
        for (SocketInfo socket : inventory.sockets()) {
            all.add(AdminWire.socket(socket));
        }
        // Every server's, as the official server's fetchSockets over its adapter gives them (on a
        // host alone, none: the answer is there at once).
        cluster.otherServersSockets().whenComplete((others, failed) -> {
            if (others != null) {
                all.addAll(others);
            }
            client.sendEvent("all_sockets", all);
            client.sendEvent("server_stats", stats.snapshot(false));
        });
    }

    /**
     * Serves the Admin UI across a cluster from now on: {@code chatBus} is the chat namespace's
     * line to the other servers, {@code serve} opens {@link #NAME}'s (with the handler for what
     * the other servers send this namespace); {@code port}, the host's, tells its reports from
     * another host's on the same machine ({@code server_stats}' {@code serverId} is
     * {@code hostname:port}).
     */
    public void joinCluster(
            ClusterBus chatBus, java.util.function.Function<ClusterHandler, ClusterBus> serve, IntSupplier port) {
        cluster.join(chatBus, serve.apply(cluster), port);
    }

    private void onCommand(SocketIOClient client, Object event, AckRequest ack) {
        if (event instanceof CatchAllJsonSupport.CustomEvent custom) {
            commands.run(client, custom.name(), custom.args(), ack);
        }
    }

    /** An inventory change, as the official server reports it to every admin. */
    private void tell(SocketChange change) {
        AdminCluster admins = cluster;
        SocketInfo socket = change.socket();
        String now = AdminWire.now();
        if (change instanceof SocketChange.Connected) {
            stats.connected();
            admins.tellAll("socket_connected", AdminWire.socket(socket), now);
        } else if (change instanceof SocketChange.Disconnected gone) {
            stats.disconnected(gone.reason());
            admins.tellAll("socket_disconnected", socket.namespace(), socket.id(), gone.reason(), now);
            // Node's adapter says each room was left after the socket went; the UI drops an empty room then.
            for (String room : NodeShape.rooms(socket)) {
                admins.tellAll("room_left", socket.namespace(), room, socket.id(), now);
            }
        } else if (change instanceof SocketChange.RoomJoined joined) {
            admins.tellAll("room_joined", socket.namespace(), joined.room(), socket.id(), now);
        } else if (change instanceof SocketChange.RoomLeft left) {
            admins.tellAll("room_left", socket.namespace(), left.room(), socket.id(), now);
        } else if (change instanceof SocketChange.Renamed) {
            admins.tellAll("socket_updated", updated(socket, "data", NodeShape.data(socket)));
        } else if (change instanceof SocketChange.TransportChanged) {
            admins.tellAll(
                    "socket_updated",
                    updated(socket, "transport", socket.transport().wireName()));
        }
    }

    private static Map<String, Object> updated(SocketInfo socket, String field, Object value) {
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("id", socket.id());
        update.put("nsp", socket.namespace());
        update.put(field, value);
        return update;
    }

    private void sendStats() {
        try {
            cluster.tellAll("server_stats", stats.snapshot(true));
        } catch (RuntimeException e) {
            ThrottledLog.warn(LOG, "admin stats failures").failure(e, "Could not send the admin stats");
        }
    }

    /**
     * What the engine is to show every event in and out ({@code SocketIoEngine.tapEvents}): the
     * UI's Events page, and what makes it show its Sockets, Rooms and Clients pages at all (it
     * hides them from a server without {@code ALL_EVENTS}).
     */
    public EventTap eventTap() {
        return events;
    }

    @Override
    public void close() {
        subscription.close();
        timer.shutdownNow();
    }

    /** Connections on long-polling now, each counted once whatever its namespaces. */
    static int pollingConnections(SocketInventory inventory) {
        Set<String> polling = new HashSet<>();
        for (SocketInfo socket : inventory.sockets()) {
            if (socket.transport() == Transport.POLLING) {
                polling.add(socket.connectionId());
            }
        }
        return polling.size();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
