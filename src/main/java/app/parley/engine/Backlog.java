package app.parley.engine;

import io.netty.channel.EventLoop;

/**
 * How much a session's client has waiting for it: the weight of the frames in its outbox, plus the
 * WebSocket batch being written. Guarded by the session's lock, which every caller holds.
 */
final class Backlog {
    /**
     * A client that lets more than this wait for it has stopped reading: the session is closed
     * rather than left to grow (a history page is at most a few MB, so a reader never gets here).
     */
    static final long MAX_BACKLOG = 8L * 1024 * 1024;

    private final EngineSession session;
    private final EventLoop timers;
    private long backlog;
    private long writingWeight;
    private boolean closeRequestedForBacklog;

    Backlog(EngineSession session, EventLoop timers) {
        this.session = session;
        this.timers = timers;
    }

    /** Bytes waiting for this client: queued, or handed to a WebSocket write that has not finished. */
    long bytes() {
        return backlog;
    }

    void add(EngineFrame frame) {
        backlog += frame.weight();
    }

    /**
     * Past {@link #MAX_BACKLOG} nothing more is queued and the session closes on its own loop (not
     * here: a sender may be in the middle of a broadcast or hold the history's lock).
     */
    boolean overflowed() {
        if (backlog <= MAX_BACKLOG) {
            return false;
        }
        if (!closeRequestedForBacklog) {
            closeRequestedForBacklog = true;
            timers.execute(() -> session.close(
                    "the client stopped reading (over " + MAX_BACKLOG / (1024 * 1024) + " MB waiting for it)",
                    EngineSession.Farewell.CLOSE,
                    1008));
        }
        return true;
    }

    /** The outbox went out: a poll's answer leaves the queue at once; a WebSocket batch counts until it is written. */
    void handedOut(boolean toWebSocket) {
        writingWeight = toWebSocket ? backlog : 0;
        backlog = writingWeight;
    }

    /** The WebSocket batch is written. */
    void written() {
        backlog -= writingWeight;
        writingWeight = 0;
    }

    void clear() {
        backlog = 0;
        writingWeight = 0;
    }
}
