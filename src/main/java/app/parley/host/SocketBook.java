package app.parley.host;

import app.parley.engine.ConnectionListener;
import app.parley.engine.SocketIoEngine;
import app.parley.engine.SocketTraffic;
import app.parley.sockets.Handshake;
import app.parley.sockets.SocketInventory;
import app.parley.sockets.SocketRecorder;
import app.parley.sockets.Traffic;
import app.parley.sockets.Transport;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the {@link SocketInventory} true to what happens: chat sockets as {@link Presence} admits,
 * names and moves them (under its lock, so a room change racing a connect is never lost), any
 * other namespace's sockets by its connect and disconnect listeners, and the engine's upgrades and
 * close reasons for all of them.
 */
final class SocketBook implements ConnectionListener, Presence.Observer {
    /** Node's reason when a client leaves a namespace on its own; the engine names every other way out. */
    static final String CLIENT_LEFT = "client namespace disconnect";

    private final SocketRecorder recorder;
    private final SocketIoEngine engine;
    private final boolean secure;
    /** Why each connection ended, from its close until its last socket is recorded as gone. */
    private final Map<UUID, String> reasons = new ConcurrentHashMap<>();

    SocketBook(SocketRecorder recorder, SocketIoEngine engine, boolean secure) {
        this.recorder = recorder;
        this.engine = engine;
        this.secure = secure;
    }

    SocketInventory inventory() {
        return recorder.inventory();
    }

    /** A chat socket went present; called after {@link Admission#admit}, which made it so. */
    void chatConnected(SocketIOClient client, Presence presence, Guest guest) {
        presence.locked(() -> record(client, "/", guest.name(), List.copyOf(guest.rooms()), guest.handshakeAuth()));
    }

    void chatDisconnected(UUID id) {
        gone("/", id);
    }

    /** Records every socket of {@code namespace} (not the chat's) from its connect to its disconnect. */
    void track(SocketIONamespace namespace) {
        String name = namespace.getName();
        namespace.addConnectListener(client -> record(client, name, null, List.of(), auth(client)));
        namespace.addDisconnectListener(client -> gone(name, client.getSessionId()));
    }

    /** The reason the next disconnect of {@code id} is recorded with (a kick says so). */
    void noteReason(UUID id, String reason) {
        reasons.put(id, reason);
    }

    @Override
    public void joined(UUID id, String room) {
        recorder.joined("/", id.toString(), room);
    }

    @Override
    public void left(UUID id, String room) {
        recorder.left("/", id.toString(), room);
    }

    @Override
    public void renamed(UUID id, String name) {
        recorder.renamed("/", id.toString(), name);
    }

    @Override
    public void upgraded(UUID connection) {
        recorder.transportChanged(connection.toString(), Transport.WEBSOCKET);
    }

    @Override
    public void closed(UUID connection, String reason) {
        if (recorder.holdsConnection(connection.toString())) {
            reasons.putIfAbsent(connection, reason);
        }
    }

    private void gone(String namespace, UUID id) {
        String reason = reasons.getOrDefault(id, CLIENT_LEFT);
        recorder.disconnected(namespace, id.toString(), reason);
        if (!recorder.holdsConnection(id.toString())) {
            reasons.remove(id);
        }
    }

    private void record(SocketIOClient client, String namespace, String name, Collection<String> rooms, Object auth) {
        SocketTraffic counters = engine.traffic(client);
        HandshakeData data = client.getHandshakeData();
        recorder.connected(
                client.getSessionId().toString(),
                client.getSessionId().toString(),
                namespace,
                name,
                client.getTransport() == com.corundumstudio.socketio.Transport.WEBSOCKET
                        ? Transport.WEBSOCKET
                        : Transport.POLLING,
                address(client),
                rooms,
                handshake(data, auth),
                counters == null
                        ? null
                        : () -> new Traffic(
                                counters.messagesIn(),
                                counters.bytesIn(),
                                counters.messagesOut(),
                                counters.bytesOut()));
    }

    private Handshake handshake(HandshakeData data, Object auth) {
        Map<String, String> headers = new LinkedHashMap<>();
        data.getHttpHeaders()
                .forEach(header -> headers.merge(
                        header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b));
        return new Handshake(
                headers,
                data.getUrlParams() == null ? Map.of() : data.getUrlParams(),
                data.getUrl(),
                data.getTime() == null
                        ? java.time.Instant.now()
                        : data.getTime().toInstant(),
                secure,
                SocketRecorder.shownAuth(auth));
    }

    private static Object auth(SocketIOClient client) {
        return client.getHandshakeData().getAuthToken();
    }

    private static String address(SocketIOClient client) {
        return client.getRemoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(client.getRemoteAddress());
    }
}
