package app.parley.host;

import app.parley.protocol.WireRules;
import java.util.Optional;
import java.util.UUID;

/**
 * Which rooms a socket may be put in, by any path: {@code join-room}, a resume, or anything added
 * later. One rule for all of them, so no path can reach a room another refuses.
 */
final class RoomRules {
    static final String ID_ROOM_RESERVED = "room names shaped like a connection id are reserved for direct messages";

    private RoomRules() {}

    /** Why {@code room} cannot be joined, or empty when it can. */
    static Optional<String> checkJoinable(Object room) {
        return WireRules.checkRoomName(room)
                .or(() -> looksLikeSocketId((String) room) ? Optional.of(ID_ROOM_RESERVED) : Optional.empty());
    }

    /**
     * A socket's own room carries its direct messages; nobody else may be put in it. Any spelling of
     * a UUID counts, whatever its case, so no variant slips past.
     */
    static boolean looksLikeSocketId(String room) {
        if (room.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(room);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
