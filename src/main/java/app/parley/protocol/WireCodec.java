package app.parley.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Parley's records to and from plain JSON-shaped Java values
 * ({@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}). The socket adapters convert their library's JSON types to
 * these shapes; no library type passes this point.
 */
public final class WireCodec {

    private WireCodec() {
    }

    /** The extra argument the host appends after the text of {@code receive-message}. */
    public static Map<String, Object> encodeMeta(ChatMessage message) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("from", message.from());
        meta.put("kind", message.kind().wireName());
        meta.put("room", message.room());
        meta.put("time", message.time().toEpochMilli());
        meta.put("id", message.id());
        return meta;
    }

    /**
     * Reads the arguments of {@code receive-message}. Works with tutorial servers that send only
     * the text: everything but the text is optional.
     */
    public static ChatMessage decodeReceive(List<?> args, Instant arrival) {
        Object first = args.isEmpty() ? null : args.get(0);
        String text = first instanceof String s ? s : String.valueOf(first);
        Map<?, ?> meta = args.size() > 1 && args.get(1) instanceof Map<?, ?> m ? m : Map.of();
        MessageKind kind = MessageKind.fromWire(meta.get("kind")).orElse(MessageKind.EVERYONE);
        Instant time = meta.get("time") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : arrival;
        return new ChatMessage(text, stringOrNull(meta.get("from")), kind,
                stringOrNull(meta.get("room")), time, stringOrNull(meta.get("id")));
    }

    /** The payload of {@code peers}: {@code {"peers": [id, ...]}}. */
    public static Map<String, Object> encodePeers(List<String> peers) {
        return Map.of("peers", List.copyOf(peers));
    }

    /** The ids in a {@code peers} payload, or empty when the payload is not one. */
    public static Optional<List<String>> decodePeers(Object payload) {
        if (!(payload instanceof Map<?, ?> map) || !(map.get("peers") instanceof List<?> list)) {
            return Optional.empty();
        }
        List<String> peers = new ArrayList<>();
        for (Object id : list) {
            if (id instanceof String s) {
                peers.add(s);
            }
        }
        return Optional.of(peers);
    }

    /** The payload of {@code peers-changed}: {@code {"joined": [id, ...], "left": [id, ...]}}. */
    public static Map<String, Object> encodePeersChanged(List<String> joined, List<String> left) {
        return Map.of("joined", List.copyOf(joined), "left", List.copyOf(left));
    }

    /** A {@code peers-changed} payload, or empty when the payload is not one. */
    public static Optional<PeersChange> decodePeersChanged(Object payload) {
        if (!(payload instanceof Map<?, ?> map) || !(map.get("joined") instanceof List<?> joined)
                || !(map.get("left") instanceof List<?> left)) {
            return Optional.empty();
        }
        return Optional.of(new PeersChange(strings(joined), strings(left)));
    }

    /** Who arrived and who left since the previous {@code peers-changed}; apply joined first. */
    public record PeersChange(List<String> joined, List<String> left) {
    }

    private static List<String> strings(List<?> values) {
        List<String> out = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String s && !s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The ack of an accepted {@code send-message}. */
    public static Map<String, Object> sendAccepted(ChatMessage routed) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", true);
        ack.put("id", routed.id());
        ack.put("time", routed.time().toEpochMilli());
        return ack;
    }

    /** The ack (or {@code parley-error} payload) of a refused request. */
    public static Map<String, Object> refused(String event, String reason) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("ok", false);
        error.put("event", event);
        error.put("error", reason);
        return error;
    }

    /** The reason in a refusal produced by {@link #refused}, if the value is one. */
    public static Optional<String> refusalReason(Object ack) {
        if (ack instanceof Map<?, ?> map && Boolean.FALSE.equals(map.get("ok"))) {
            return Optional.of(String.valueOf(map.get("error")));
        }
        return Optional.empty();
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
