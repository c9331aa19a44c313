package app.parley.admin;

import app.parley.cluster.Audience;
import app.parley.cluster.ClusterBus;
import app.parley.cluster.ClusterHandler;
import app.parley.cluster.ClusterMessage;
import app.parley.sockets.NodeShape;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.SocketInventory;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The Admin UI over a cluster (docs/PROTOCOL.md §17), as the official server's {@code /admin}
 * namespace works over an adapter: what a host tells its admins goes to every server's admins (and
 * theirs to this host's), the list an admin gets at login holds every server's sockets
 * ({@code fetchSockets}), and join, leave and disconnect reach the sockets of every server. On a
 * host alone it only tells this host's admins.
 */
final class AdminCluster implements ClusterHandler {
    /** How long a login's socket list waits for the other servers' answers. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    private final SocketIONamespace admins;
    private final SocketInventory inventory;
    private volatile ClusterBus chat = ClusterBus.none();
    private volatile ClusterBus admin = ClusterBus.none();
    private volatile IntSupplier port = () -> 0;

    AdminCluster(SocketIONamespace admins, SocketInventory inventory) {
        this.admins = admins;
        this.inventory = inventory;
    }

    /** From here on, over {@code chatBus} (the chat namespace's) and {@code adminBus} ({@code /admin}'s). */
    void join(ClusterBus chatBus, ClusterBus adminBus, IntSupplier hostPort) {
        this.chat = chatBus;
        this.port = hostPort;
        this.admin = adminBus;
    }

    /** The host's port once it is in a cluster; 0 alone. */
    int port() {
        return clustered() ? port.getAsInt() : 0;
    }

    boolean clustered() {
        return admin.clustered();
    }

    /** {@code event} to every admin of the cluster: this host's, then (through the stream) every other server's. */
    void tellAll(String event, Object... args) {
        admins.getBroadcastOperations().sendEvent(event, args);
        ClusterBus bus = admin;
        if (bus.clustered()) {
            bus.publish(
                    new ClusterMessage.Broadcast(Audience.everyone(List.of()), event, java.util.Arrays.asList(args)));
        }
    }

    /**
     * The other servers' sockets of the chat namespace and of {@code /admin}, as {@code all_sockets}
     * lists them; what did not answer within {@link #FETCH_TIMEOUT} is left out.
     */
    CompletableFuture<List<Object>> otherServersSockets() {
        if (!clustered()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Audience everyone = Audience.everyone(List.of());
        var chatSockets = chat.fetchSockets(everyone, FETCH_TIMEOUT);
        var adminSockets = admin.fetchSockets(everyone, FETCH_TIMEOUT);
        return chatSockets.thenCombine(adminSockets, (inChat, inAdmin) -> {
            List<Object> all = new ArrayList<>();
            inChat.values()
                    .forEach(sockets -> sockets.forEach(s -> all.add(adminShape(s, SocketControl.CHAT_NAMESPACE))));
            inAdmin.values().forEach(sockets -> sockets.forEach(s -> all.add(adminShape(s, AdminNamespace.NAME))));
            return all;
        });
    }

    /** Asks every other server to have the chat sockets {@code filter} picks (a room, an id; null: all) join {@code room}. */
    void join(String filter, String room) {
        publishToChat(new ClusterMessage.SocketsJoin(audience(filter), List.of(room)));
    }

    void leave(String filter, String room) {
        publishToChat(new ClusterMessage.SocketsLeave(audience(filter), List.of(room)));
    }

    void disconnect(String filter, boolean close) {
        publishToChat(new ClusterMessage.DisconnectSockets(audience(filter), close));
    }

    private void publishToChat(ClusterMessage message) {
        ClusterBus bus = chat;
        if (bus.clustered()) {
            bus.publish(message);
        }
    }

    private static Audience audience(String filter) {
        return filter == null ? Audience.everyone(List.of()) : Audience.room(filter, List.of());
    }

    /**
     * A socket of another server, as the admin-ui serializes one: its connection id and transport
     * from {@code data._admin}, where an instrumented server (Node's admin-ui, Parley) keeps them.
     */
    static Map<String, Object> adminShape(Map<String, Object> socket, String nsp) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<?, ?> meta = Map.of();
        if (socket.get("data") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> data.put(String.valueOf(k), v));
            if (data.remove("_admin") instanceof Map<?, ?> m) {
                meta = m;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.get("id"));
        out.put("clientId", meta.get("clientId"));
        out.put("transport", meta.get("transport"));
        out.put("nsp", nsp);
        out.put("data", data);
        Map<String, Object> handshake = new LinkedHashMap<>();
        if (socket.get("handshake") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> {
                if (!"auth".equals(k)) { // the admin-ui leaves the auth out
                    handshake.put(String.valueOf(k), v);
                }
            });
        }
        out.put("handshake", handshake);
        out.put("rooms", socket.get("rooms") instanceof List<?> rooms ? rooms : List.of());
        return out;
    }

    // What another server asks of this host's /admin namespace.

    @Override
    public void broadcast(Audience to, String event, List<Object> args) {
        Object[] array = args.toArray();
        for (SocketIOClient client : admins.getAllClients()) {
            java.util.Set<String> rooms = new java.util.HashSet<>(client.getAllRooms());
            rooms.add(client.getSessionId().toString());
            if (to.includes(rooms)) {
                client.sendEvent(event, array);
            }
        }
    }

    @Override
    public int broadcastWithAck(Audience to, String event, List<Object> args, Consumer<Object> ack) {
        return 0; // admins answer no server's events
    }

    @Override
    public void socketsJoin(Audience who, List<String> rooms) {}

    @Override
    public void socketsLeave(Audience who, List<String> rooms) {}

    @Override
    public void disconnectSockets(Audience who, boolean close) {}

    @Override
    public void serverSideEmit(String from, List<Object> packet) {}

    /** This host's admins, for another server's admin-ui listing every namespace. */
    @Override
    public List<Map<String, Object>> fetchSockets(String from, Audience who) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SocketInfo socket : inventory.sockets(AdminNamespace.NAME)) {
            if (who.includes(NodeShape.rooms(socket))) {
                out.add(NodeShape.socket(socket));
            }
        }
        return out;
    }
}
