package app.parley.sockets;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A socket as Node's {@code socket.io} describes one to others: what {@code fetchSockets()} gives
 * ({@code id}, {@code handshake}, {@code rooms}, {@code data}), which the Admin UI and the cluster
 * adapters both carry. Plain maps and lists, written as JSON or msgpack as they are.
 */
public final class NodeShape {
    private NodeShape() {}

    /**
     * {@code id}, {@code handshake}, {@code rooms} (its own id first, as Node's), {@code data} (its
     * chat name, and {@code _admin}: its connection id and transport, where Node's admin-ui keeps
     * them for another server's Admin UI to list).
     */
    public static Map<String, Object> socket(SocketInfo socket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.id());
        out.put("handshake", handshake(socket));
        out.put("rooms", rooms(socket));
        Map<String, Object> data = data(socket);
        data.put(
                "_admin",
                Map.of(
                        "clientId",
                        socket.connectionId(),
                        "transport",
                        socket.transport().wireName()));
        out.put("data", data);
        return out;
    }

    /** Node's {@code socket.handshake}. */
    public static Map<String, Object> handshake(SocketInfo socket) {
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
        return handshake;
    }

    /** {@code data}: what Parley knows of the socket beyond the handshake (its chat name). */
    public static Map<String, Object> data(SocketInfo socket) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (socket.name() != null) {
            data.put("name", socket.name());
        }
        return data;
    }

    public static List<String> rooms(SocketInfo socket) {
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
    public static String date(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
