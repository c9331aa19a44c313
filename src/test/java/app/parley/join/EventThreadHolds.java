package app.parley.join;

import app.parley.join.patch.EventThreadHold;

/**
 * For benchmarks and tests outside this package whose own socket.io-client sockets (not Parley's
 * {@link ClientConnection}) should keep the library's event thread alive as the app's connections
 * do ({@link EventThreadHold}). Pair each {@link #acquire} with one {@link #release}.
 */
public final class EventThreadHolds {
    private EventThreadHolds() {}

    public static void acquire() {
        EventThreadHold.acquire();
    }

    public static void release() {
        EventThreadHold.release();
    }
}
