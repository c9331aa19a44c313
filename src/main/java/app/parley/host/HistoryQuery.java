package app.parley.host;

import app.parley.protocol.WireRules;
import java.util.Map;
import java.util.Optional;

/** Reads the argument of {@code history}: {@code {room} | {with} | {}}, {@code before}, {@code limit}. */
final class HistoryQuery {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** A valid query, or (with every other field unset) the reason it is not one. */
    record Parsed(String room, String with, long before, int limit, String refusal) {
        static Parsed refused(String reason) {
            return new Parsed(null, null, 0, 0, reason);
        }
    }

    private HistoryQuery() {}

    static Parsed parse(Object query) {
        Map<?, ?> map;
        if (query == null) {
            map = Map.of();
        } else if (query instanceof Map<?, ?> m) {
            map = m;
        } else {
            return Parsed.refused("history wants an object: {room}, {with} or {} for everyone");
        }
        Object room = map.get("room");
        Object with = map.get("with");
        if (room != null && with != null) {
            return Parsed.refused("ask for a room or a person, not both");
        }
        if (room != null) {
            Optional<String> bad = WireRules.checkRoomName(room);
            if (bad.isPresent()) {
                return Parsed.refused(bad.get());
            }
        }
        if (with != null && !(with instanceof String)) {
            return Parsed.refused("with must be a connection id");
        }
        long before = Long.MAX_VALUE;
        if (map.get("before") != null) {
            if (!(map.get("before") instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
                return Parsed.refused("before must be a whole number from 1 up");
            }
            before = n.longValue();
        }
        int limit = DEFAULT_LIMIT;
        if (map.get("limit") != null) {
            if (!(map.get("limit") instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
                return Parsed.refused("limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            limit = Math.min(n.intValue(), MAX_LIMIT);
        }
        return new Parsed((String) room, (String) with, before, limit, null);
    }
}
