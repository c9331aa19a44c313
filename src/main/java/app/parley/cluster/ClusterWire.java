package app.parley.cluster;

import app.parley.cluster.ClusterMessage.Broadcast;
import app.parley.cluster.ClusterMessage.BroadcastAck;
import app.parley.cluster.ClusterMessage.ClientCount;
import app.parley.cluster.ClusterMessage.DisconnectSockets;
import app.parley.cluster.ClusterMessage.FetchSockets;
import app.parley.cluster.ClusterMessage.Received;
import app.parley.cluster.ClusterMessage.ServerSideEmit;
import app.parley.cluster.ClusterMessage.SocketsFound;
import app.parley.cluster.ClusterMessage.SocketsJoin;
import app.parley.cluster.ClusterMessage.SocketsLeave;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The official Redis streams adapter's encoding (docs/PROTOCOL.md §19). A stream entry has the
 * fields {@code uid}, {@code nsp}, {@code type} (the number as text) and {@code data}: JSON text,
 * or base64 of msgpack when the data holds bytes. A pub/sub message is the whole message as
 * msgpack, its type a number. Reading refuses what it does not know with a reason
 * ({@link ClusterWireException}); it never guesses.
 */
final class ClusterWire {
    /** Socket.IO's own {@code maxHttpBufferSize}: nothing bigger is one chat event anyway. */
    static final int MAX_DATA_CHARS = 1_000_000;
    /** socket.io-parser's EVENT packet type. */
    private static final int EVENT = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterWire() {}

    static Map<String, String> streamEntry(String uid, String nsp, ClusterMessage message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("uid", uid);
        fields.put("nsp", nsp);
        fields.put("type", Integer.toString(message.type()));
        Map<String, Object> data = data(message, nsp);
        if (data != null) {
            fields.put("data", hasBytes(data) ? Base64.getEncoder().encodeToString(MsgPack.pack(data)) : json(data));
        }
        return fields;
    }

    static byte[] pubSub(String uid, String nsp, ClusterMessage message) {
        Map<String, Object> whole = new LinkedHashMap<>();
        whole.put("uid", uid);
        whole.put("nsp", nsp);
        whole.put("type", message.type());
        Map<String, Object> data = data(message, nsp);
        if (data != null) {
            whole.put("data", data);
        }
        return MsgPack.pack(whole);
    }

    static Received fromStream(Map<String, String> fields, String offset) throws ClusterWireException {
        String type = fields.get("type");
        String data = fields.get("data");
        if (data != null && data.length() > MAX_DATA_CHARS) {
            throw new ClusterWireException(
                    "an entry of " + data.length() + " characters (at most " + MAX_DATA_CHARS + " are read)");
        }
        int number;
        try {
            number = Integer.parseInt(type == null ? "" : type);
        } catch (NumberFormatException e) {
            throw new ClusterWireException("type \"" + type + "\" is not a number");
        }
        Object decoded = null;
        if (data != null) {
            if (data.startsWith("{")) {
                try {
                    decoded = JSON.readValue(data, Object.class);
                } catch (JsonProcessingException e) {
                    throw new ClusterWireException("data is not JSON: " + e.getOriginalMessage());
                }
            } else {
                try {
                    decoded = MsgPack.unpack(Base64.getDecoder().decode(data));
                } catch (IllegalArgumentException e) {
                    throw new ClusterWireException("data is neither JSON nor base64");
                }
            }
        }
        return received(fields.get("uid"), fields.get("nsp"), number, decoded, offset);
    }

    static Received fromPubSub(byte[] payload) throws ClusterWireException {
        if (payload.length > MAX_DATA_CHARS) {
            throw new ClusterWireException(
                    "a message of " + payload.length + " bytes (at most " + MAX_DATA_CHARS + " are read)");
        }
        if (!(MsgPack.unpack(payload) instanceof Map<?, ?> whole)) {
            throw new ClusterWireException("a pub/sub message that is not a msgpack map");
        }
        if (!(whole.get("type") instanceof Number type)) {
            throw new ClusterWireException("a pub/sub message without a numeric type");
        }
        return received(
                optionalText(whole.get("uid")),
                optionalText(whole.get("nsp")),
                type.intValue(),
                whole.get("data"),
                null);
    }

    private static Received received(String uid, String nsp, int type, Object data, String offset)
            throws ClusterWireException {
        if (uid == null || nsp == null) {
            throw new ClusterWireException("a message without uid or nsp");
        }
        return new Received(uid, nsp, message(type, data), offset);
    }

    private static ClusterMessage message(int type, Object raw) throws ClusterWireException {
        Map<?, ?> data = raw instanceof Map<?, ?> map ? map : Map.of();
        return switch (type) {
            case 3 -> broadcast(data);
            case 4 -> new SocketsJoin(audience(data.get("opts")), texts(data.get("rooms"), "rooms"));
            case 5 -> new SocketsLeave(audience(data.get("opts")), texts(data.get("rooms"), "rooms"));
            case 6 -> new DisconnectSockets(audience(data.get("opts")), Boolean.TRUE.equals(data.get("close")));
            case 7 -> new FetchSockets(audience(data.get("opts")), requestId(data));
            case 8 -> new SocketsFound(requestId(data), sockets(data.get("sockets")));
            case 9 -> new ServerSideEmit(list(data.get("packet"), "packet"), optionalText(data.get("requestId")));
            case 11 -> new ClientCount(requestId(data), data.get("clientCount") instanceof Number n ? n.intValue() : 0);
            case 12 -> new BroadcastAck(requestId(data), data.get("packet"));
            default -> throw new ClusterWireException("message type " + type + " is not one this version reads");
        };
    }

    private static Broadcast broadcast(Map<?, ?> data) throws ClusterWireException {
        if (!(data.get("packet") instanceof Map<?, ?> packet)) {
            throw new ClusterWireException("a broadcast without a packet");
        }
        if (!(packet.get("type") instanceof Number type) || type.intValue() != EVENT) {
            throw new ClusterWireException("a broadcast of packet type " + packet.get("type") + ", not an event");
        }
        List<Object> items = list(packet.get("data"), "packet.data");
        if (items.isEmpty() || !(items.get(0) instanceof String event)) {
            throw new ClusterWireException("a broadcast whose packet does not start with the event's name");
        }
        return new Broadcast(
                audience(data.get("opts")),
                event,
                new ArrayList<>(items.subList(1, items.size())),
                optionalText(data.get("requestId")));
    }

    private static Audience audience(Object raw) throws ClusterWireException {
        if (!(raw instanceof Map<?, ?> opts)) {
            throw new ClusterWireException("a message without opts");
        }
        Map<String, Object> flags = new LinkedHashMap<>();
        if (opts.get("flags") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> {
                if (v != null) {
                    flags.put(String.valueOf(k), v);
                }
            });
        }
        return new Audience(
                opts.get("rooms") == null ? List.of() : texts(opts.get("rooms"), "opts.rooms"),
                opts.get("except") == null ? List.of() : texts(opts.get("except"), "opts.except"),
                flags);
    }

    private static Map<String, Object> data(ClusterMessage message, String nsp) {
        if (message instanceof Broadcast b) {
            List<Object> items = new ArrayList<>(b.args().size() + 1);
            items.add(b.event());
            items.addAll(b.args());
            Map<String, Object> packet = new LinkedHashMap<>();
            packet.put("type", EVENT);
            packet.put("data", items);
            packet.put("nsp", nsp);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("packet", packet);
            data.put("opts", opts(b.to()));
            if (b.requestId() != null) {
                data.put("requestId", b.requestId());
            }
            return data;
        } else if (message instanceof SocketsJoin j) {
            return Map.of("opts", opts(j.who()), "rooms", j.rooms());
        } else if (message instanceof SocketsLeave l) {
            return Map.of("opts", opts(l.who()), "rooms", l.rooms());
        } else if (message instanceof DisconnectSockets d) {
            return Map.of("opts", opts(d.who()), "close", d.close());
        } else if (message instanceof FetchSockets f) {
            return Map.of("opts", opts(f.who()), "requestId", f.requestId());
        } else if (message instanceof SocketsFound found) {
            return Map.of("requestId", found.requestId(), "sockets", found.sockets());
        } else if (message instanceof ServerSideEmit e) {
            return e.requestId() == null
                    ? Map.of("packet", e.packet())
                    : Map.of("packet", e.packet(), "requestId", e.requestId());
        } else if (message instanceof ClientCount c) {
            return Map.of("requestId", c.requestId(), "clientCount", c.clientCount());
        }
        BroadcastAck a = (BroadcastAck) message;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requestId", a.requestId());
        data.put("packet", a.packet());
        return data;
    }

    private static Map<String, Object> opts(Audience to) {
        return Map.of("rooms", to.rooms(), "except", to.except(), "flags", to.flags());
    }

    static boolean hasBytes(Object value) {
        if (value instanceof byte[]) {
            return true;
        } else if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(ClusterWire::hasBytes);
        } else if (value instanceof List<?> list) {
            return list.stream().anyMatch(ClusterWire::hasBytes);
        }
        return false;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not plain JSON values: " + e.getOriginalMessage(), e);
        }
    }

    private static String requestId(Map<?, ?> data) throws ClusterWireException {
        String id = optionalText(data.get("requestId"));
        if (id == null) {
            throw new ClusterWireException("a request or answer without a requestId");
        }
        return id;
    }

    private static String optionalText(Object value) {
        return value instanceof String s ? s : null;
    }

    private static List<Object> list(Object value, String what) throws ClusterWireException {
        if (!(value instanceof List<?> list)) {
            throw new ClusterWireException(what + " is not an array");
        }
        return new ArrayList<>(list);
    }

    private static List<String> texts(Object value, String what) throws ClusterWireException {
        List<String> out = new ArrayList<>();
        for (Object item : list(value, what)) {
            if (!(item instanceof String s)) {
                throw new ClusterWireException(what + " holds a " + (item == null ? "null" : "non-text") + " item");
            }
            out.add(s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sockets(Object value) throws ClusterWireException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : list(value, "sockets")) {
            if (item instanceof Map<?, ?> socket) {
                out.add((Map<String, Object>) socket);
            }
        }
        return out;
    }
}
