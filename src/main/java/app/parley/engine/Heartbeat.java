package app.parley.engine;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's ping clock: a ping every {@code pingInterval}, and the session closed when its pong is
 * {@code pingTimeout} late. Its state is guarded by the session's lock, which every caller holds
 * (the timer's ping takes it itself).
 */
final class Heartbeat {
    private final EngineSession session;
    private final EngineSettings settings;
    private final EventLoop timers;
    private long pingDueNanos;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongDeadline;

    Heartbeat(EngineSession session, EngineSettings settings, EventLoop timers) {
        this.session = session;
        this.settings = settings;
        this.timers = timers;
    }

    /**
     * Times are kept as absolute deadlines from when the session began (or the last pong came),
     * so the lateness of one timer does not add to the next: the session ends at
     * {@code pingInterval + pingTimeout} after an unanswered ping was due, not later.
     * The caller holds the session's lock.
     */
    void schedulePing(long fromNanos) {
        if (session.isClosed()) {
            return;
        }
        pingDueNanos = fromNanos + TimeUnit.MILLISECONDS.toNanos(settings.pingIntervalMillis());
        pingTask = timers.schedule(this::ping, pingDueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void ping() {
        synchronized (session) {
            if (session.isClosed()) {
                return;
            }
            long deadline = pingDueNanos + TimeUnit.MILLISECONDS.toNanos(settings.pingTimeoutMillis());
            pongDeadline = timers.schedule(
                    () -> session.close("ping timeout", EngineSession.Farewell.CLOSE),
                    deadline - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
        session.send(EngineFrame.PING);
    }

    /** The caller holds the session's lock. */
    void onPong() {
        if (pongDeadline != null) {
            pongDeadline.cancel(false);
            pongDeadline = null;
            schedulePing(System.nanoTime());
        }
    }

    /** Stops both timers as the session closes; the caller holds the session's lock. */
    void stop() {
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        if (pongDeadline != null) {
            pongDeadline.cancel(false);
        }
    }
}
