package app.parley.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets whose resume is being replayed, and the {@code join-room} / {@code leave-room} each
 * sent meanwhile. A reconnecting client rejoins its rooms at once; applied before its replay's
 * plan, a join would let live messages overtake the replay, and the client would take the replayed
 * ones for copies and drop them. So they wait, and run in order when the socket goes live.
 */
final class ReplayHolds {
    private final Map<UUID, List<Runnable>> held = new ConcurrentHashMap<>();

    /** From the CONNECT of a resuming socket until {@link #release}. */
    void hold(UUID socket) {
        held.put(socket, new ArrayList<>());
    }

    /** Keeps {@code change} for later when the socket is held; false when it may run now. */
    boolean deferred(UUID socket, Runnable change) {
        // Atomic with release's remove: a change is either kept and run by release, or runs now.
        return held.computeIfPresent(socket, (id, changes) -> {
            changes.add(change);
            return changes;
        }) != null;
    }

    /** The socket is live (or its replay failed): what it asked meanwhile runs now, in order. */
    void release(UUID socket) {
        List<Runnable> changes = held.remove(socket);
        if (changes != null) {
            changes.forEach(Runnable::run);
        }
    }

    /** The socket is gone. */
    void forget(UUID socket) {
        held.remove(socket);
    }
}
