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

    private WireCodec() {}

    /** The extra argument the host appends after the text of {@code receive-message}. */
    public static Map<String, Object> encodeMeta(ChatMessage message) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("from", message.from());
        meta.put("kind", message.kind().wireName());
        meta.put("room", message.room());
        meta.put("time", message.time().toEpochMilli());
        meta.put("id", message.id());
        if (message.name() != null) {
            meta.put("name", message.name());
        }
        if (message.seq() > 0) {
            meta.put("seq", message.seq());
        }
        if (message.mine()) {
            meta.put("mine", true);
        }
        if (message.conversation() != null) {
            meta.put("conv", message.conversation());
        }
        if (message.user() != null) {
            meta.put("user", message.user());
        }
        if (message.clientId() != null) {
            meta.put("cid", message.clientId());
        }
        if (message.file() != null) {
            meta.put("file", message.file().toWire());
        }
        return meta;
    }

    /**
     * Reads the arguments of {@code receive-message}. Works with tutorial servers that send only
     * the text: everything but the text is optional.
     */
    public static ChatMessage decodeReceive(List<?> args, Instant arrival) {
        Object first = args.isEmpty() ? null : args.get(0);
        String text = first instanceof String s ? s : String.valueOf(first);
        return decodeMessage(text, args.size() > 1 ? args.get(1) : null, arrival);
    }

    private static ChatMessage decodeMessage(String text, Object metaValue, Instant arrival) {
        Map<?, ?> meta = metaValue instanceof Map<?, ?> m ? m : Map.of();
        MessageKind kind = MessageKind.fromWire(meta.get("kind")).orElse(MessageKind.EVERYONE);
        Instant time = meta.get("time") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : arrival;
        long seq = meta.get("seq") instanceof Number n ? n.longValue() : 0;
        return new ChatMessage(
                text,
                stringOrNull(meta.get("from")),
                kind,
                stringOrNull(meta.get("room")),
                time,
                stringOrNull(meta.get("id")),
                stringOrNull(meta.get("name")),
                Math.max(0, seq),
                Boolean.TRUE.equals(meta.get("mine")),
                stringOrNull(meta.get("conv")),
                stringOrNull(meta.get("user")),
                stringOrNull(meta.get("cid")),
                SharedFile.fromWire(meta.get("file")).orElse(null));
    }

    /** The payload of {@code peers}: {@code {"peers": [id, ...], "names": {id: name}, "users": {id: user}}}. */
    public static Map<String, Object> encodePeers(
            List<String> peers, Map<String, String> names, Map<String, String> users) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("peers", List.copyOf(peers));
        payload.put("names", Map.copyOf(names));
        payload.put("users", Map.copyOf(users));
        return payload;
    }

    /** A {@code peers} payload, or empty when the payload is not one ({@code names} may be absent). */
    public static Optional<Peers> decodePeers(Object payload) {
        if (!(payload instanceof Map<?, ?> map) || !(map.get("peers") instanceof List<?> list)) {
            return Optional.empty();
        }
        return Optional.of(new Peers(strings(list), names(map.get("names")), names(map.get("users"))));
    }

    /** Everyone present, the nicknames of those who have one, and each one's user. */
    public record Peers(List<String> ids, Map<String, String> names, Map<String, String> users) {}

    /** The payload of {@code peers-changed}: {@code {"joined": [id...], "left": [id...], "names": {id: name}}}. */
    public static Map<String, Object> encodePeersChanged(
            List<String> joined, List<String> left, Map<String, String> names, Map<String, String> users) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("joined", List.copyOf(joined));
        payload.put("left", List.copyOf(left));
        payload.put("names", Map.copyOf(names));
        payload.put("users", Map.copyOf(users));
        return payload;
    }

    /** A {@code peers-changed} payload, or empty when the payload is not one. */
    public static Optional<PeersChange> decodePeersChanged(Object payload) {
        if (!(payload instanceof Map<?, ?> map)
                || !(map.get("joined") instanceof List<?> joined)
                || !(map.get("left") instanceof List<?> left)) {
            return Optional.empty();
        }
        return Optional.of(
                new PeersChange(strings(joined), strings(left), names(map.get("names")), names(map.get("users"))));
    }

    /**
     * Who arrived, who left and who (re)named since the previous {@code peers-changed}; apply
     * joined and names first, then left.
     */
    public record PeersChange(
            List<String> joined, List<String> left, Map<String, String> names, Map<String, String> users) {}

    /** The payload of {@code room-members}. */
    public static Map<String, Object> encodeRoomMembers(String room, List<String> members) {
        return Map.of("room", room, "members", List.copyOf(members));
    }

    /** A {@code caught-up}: the host's time and the highest {@code seq} in each conversation now heard live. */
    public static Map<String, Object> encodeCaughtUp(long at, Map<String, Long> seqs) {
        return Map.of("at", at, "seqs", Map.copyOf(seqs));
    }

    /** A {@code caught-up} payload, or empty when the payload is not one (entries of the wrong shape are skipped). */
    public static Optional<CaughtUp> decodeCaughtUp(Object payload) {
        if (!(payload instanceof Map<?, ?> map)
                || !(map.get("at") instanceof Number at)
                || !(map.get("seqs") instanceof Map<?, ?> given)) {
            return Optional.empty();
        }
        Map<String, Long> seqs = new LinkedHashMap<>();
        given.forEach((conversation, seq) -> {
            if (conversation instanceof String name && seq instanceof Number n && n.longValue() >= 0) {
                seqs.put(name, n.longValue());
            }
        });
        return Optional.of(new CaughtUp(at.longValue(), seqs));
    }

    /** Where each conversation stood when the socket started hearing it live. */
    public record CaughtUp(long at, Map<String, Long> seqs) {}

    /** A {@code room-members} payload, or empty when the payload is not one. */
    public static Optional<RoomMembers> decodeRoomMembers(Object payload) {
        if (!(payload instanceof Map<?, ?> map)
                || !(map.get("room") instanceof String room)
                || !(map.get("members") instanceof List<?> members)) {
            return Optional.empty();
        }
        return Optional.of(new RoomMembers(room, strings(members)));
    }

    /** Who is in a room now. */
    public record RoomMembers(String room, List<String> members) {}

    /** What the host relays when someone starts or stops typing. */
    public record Typing(String from, String name, MessageKind kind, String room, boolean active) {}

    public static Map<String, Object> encodeTyping(Typing typing) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("from", typing.from());
        payload.put("name", typing.name());
        payload.put("kind", typing.kind().wireName());
        payload.put("room", typing.room());
        payload.put("active", typing.active());
        return payload;
    }

    /** A {@code typing} payload from a host, or empty when the payload is not one. */
    public static Optional<Typing> decodeTyping(Object payload) {
        if (!(payload instanceof Map<?, ?> map) || !(map.get("from") instanceof String from)) {
            return Optional.empty();
        }
        Optional<MessageKind> kind = MessageKind.fromWire(map.get("kind"));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Typing(
                from,
                stringOrNull(map.get("name")),
                kind.get(),
                stringOrNull(map.get("room")),
                !Boolean.FALSE.equals(map.get("active"))));
    }

    /** One page of a conversation's history, oldest first; {@code more} when older messages exist. */
    public record HistoryPage(List<ChatMessage> messages, boolean more) {
        public HistoryPage {
            messages = List.copyOf(messages);
        }
    }

    /** The ack of a {@code history} request. */
    public static Map<String, Object> encodeHistory(HistoryPage page) {
        List<Object> messages = new ArrayList<>();
        for (ChatMessage message : page.messages()) {
            messages.add(Map.of("text", message.text(), "meta", encodeMeta(message)));
        }
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", true);
        ack.put("messages", messages);
        ack.put("more", page.more());
        return ack;
    }

    /** A {@code history} ack, or empty when it is not one (a refusal is read with {@link #refusalReason}). */
    public static Optional<HistoryPage> decodeHistory(Object ack, Instant arrival) {
        if (!(ack instanceof Map<?, ?> map) || !(map.get("messages") instanceof List<?> list)) {
            return Optional.empty();
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (Object entry : list) {
            if (entry instanceof Map<?, ?> m && m.get("text") instanceof String text) {
                messages.add(decodeMessage(text, m.get("meta"), arrival));
            }
        }
        return Optional.of(new HistoryPage(messages, Boolean.TRUE.equals(map.get("more"))));
    }

    /**
     * The third argument of {@code send-message} from Parley's client: {@code {"cid": …}}, its own
     * id for the message (a retry carries the same one, and the host stores it once), and for a
     * direct message {@code "to"}, the recipient's user, so a retry reaches them after they
     * reconnected with a new socket id.
     */
    public record SendOptions(String clientId, String toUser) {
        public static final SendOptions NONE = new SendOptions(null, null);
    }

    public static Map<String, Object> encodeSendOptions(SendOptions options) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (options.clientId() != null) {
            map.put("cid", options.clientId());
        }
        if (options.toUser() != null) {
            map.put("to", options.toUser());
        }
        return map;
    }

    /** The ack of an accepted {@code send-message}. */
    public static Map<String, Object> sendAccepted(ChatMessage routed) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", true);
        ack.put("id", routed.id());
        ack.put("time", routed.time().toEpochMilli());
        if (routed.seq() > 0) {
            ack.put("seq", routed.seq());
        }
        if (routed.file() != null) {
            ack.put("file", routed.file().toWire());
        }
        return ack;
    }

    /** The ack of an accepted {@code set-name}. */
    public static Map<String, Object> nameGranted(String name) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", true);
        ack.put("name", name);
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

    private static List<String> strings(List<?> values) {
        List<String> out = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String s && !s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, String> names(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((id, name) -> {
                if (id instanceof String i && name instanceof String n) {
                    out.put(i, n);
                }
            });
        }
        return out;
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
