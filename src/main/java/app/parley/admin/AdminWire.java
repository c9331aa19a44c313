package app.parley.admin;

import app.parley.sockets.SocketInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        out.put("data", data(socket));
        Map<String, Object> handshake = new LinkedHashMap<>();
        handshake.put("address", socket.remoteAddress());
        handshake.put("headers", socket.handshake().headers());
        handshake.put("query", query(socket.handshake().query()));
        handshake.put("issued", socket.handshake().time().toEpochMilli());
        handshake.put("secure", socket.handshake().secure());
        handshake.put("time", date(socket.handshake().time()));
        handshake.put("url", socket.handshake().url());
        handshake.put("xdomain", socket.handshake().headers().containsKey("origin"));
        handshake.put("auth", socket.handshake().auth());
        out.put("handshake", handshake);
        out.put("rooms", rooms(socket));
        return out;
    }

    /** {@code data}: what Parley knows of the socket beyond the handshake (its chat name). */
    static Map<String, Object> data(SocketInfo socket) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (socket.name() != null) {
            data.put("name", socket.name());
        }
        return data;
    }

    static List<String> rooms(SocketInfo socket) {
        List<String> rooms = new ArrayList<>();
        rooms.add(socket.id());
        rooms.addAll(socket.rooms());
        return rooms;
    }

    /** Node's query object: one string per name (the last, as Node's parser keeps repeated ones apart but the UI shows one). */
    private static Map<String, Object> query(Map<String, List<String>> query) {
        Map<String, Object> out = new LinkedHashMap<>();
        query.forEach((name, values) -> out.put(name, values.isEmpty() ? "" : values.get(values.size() - 1)));
        return out;
    }

    /** A JavaScript {@code Date} as JSON writes it: ISO 8601 in UTC, to the millisecond. */
    static String date(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String now() {
        return date(Instant.now());
    }
}
