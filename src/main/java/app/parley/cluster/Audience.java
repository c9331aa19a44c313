package app.parley.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which sockets a cluster message is for: Socket.IO's broadcast options as the adapters send
 * them. No rooms means every socket of the namespace ({@code io.emit}); a socket in any
 * {@code except} room is left out ({@code socket.to(room)} leaves out the sender's own room).
 *
 * @param flags the adapter's flags as sent ({@code volatile}, {@code compress}, {@code timeout}…),
 *              kept for the acknowledgement timeout; never {@code local}, which stays on its server
 */
public record Audience(List<String> rooms, List<String> except, Map<String, Object> flags) {
    public Audience {
        rooms = List.copyOf(rooms);
        except = List.copyOf(except);
        flags = Map.copyOf(flags);
    }

    /** Every socket of the namespace but those in {@code except}. */
    public static Audience everyone(List<String> except) {
        return new Audience(List.of(), except, Map.of());
    }

    /** The sockets in {@code room} but those in {@code except}. */
    public static Audience room(String room, List<String> except) {
        return new Audience(List.of(room), except, Map.of());
    }

    /** Whether a socket in {@code socketRooms} (its own id among them) is one of these. */
    public boolean includes(Collection<String> socketRooms) {
        boolean in = rooms.isEmpty() || rooms.stream().anyMatch(socketRooms::contains);
        return in && except.stream().noneMatch(socketRooms::contains);
    }

    /** How long a broadcast waits for acknowledgements, as its sender set it; 0 when it set none. */
    public long timeoutMillis() {
        return flags.get("timeout") instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
