package app.parley.engine;

import java.util.List;
import java.util.UUID;

/**
 * Sees every event a socket receives and every event sent to a socket (Node: {@code onAny} and
 * {@code onAnyOutgoing} on every socket), for the Admin UI's {@code ALL_EVENTS}. Called on the hot
 * path, on I/O threads and on whichever thread sends: a tap returns at once when nobody watches,
 * and never blocks.
 */
public interface EventTap {
    /**
     * @param namespace the socket's namespace, {@code /} for the main one
     * @param args      the event's arguments as plain JSON values ({@code byte[]} for binary)
     */
    void received(UUID socket, String namespace, String event, List<Object> args);

    /** An event sent to the socket: once per recipient, so a broadcast is seen at each. */
    void sent(UUID socket, String namespace, String event, List<Object> args);
}
