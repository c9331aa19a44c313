package app.parley.admin;

import app.parley.sockets.NodeShape;
import app.parley.sockets.SocketInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Admin UI's payloads, shaped as the official server ({@code @socket.io/admin-ui} 0.5.1,
 * {@code lib/index.ts}) sends them, built from the socket inventory. Plain maps and lists, which
 * netty-socketio writes as JSON.
 */
final class AdminWire {
    private AdminWire() {}

    /**
     * A socket as {@code all_sockets} and {@code socket_connected} carry it. Its rooms start with
     * its own id, as Node's {@code socket.rooms} do; {@code data} holds its chat name.
     */
    static Map<String, Object> socket(SocketInfo socket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.id());
        out.put("clientId", socket.connectionId());
        out.put("transport", socket.transport().wireName());
        out.put("nsp", socket.namespace());
        out.put("data", NodeShape.data(socket));
        out.put("handshake", NodeShape.handshake(socket));
        out.put("rooms", NodeShape.rooms(socket));
        return out;
    }

    static String now() {
        return NodeShape.date(Instant.now());
    }
}
