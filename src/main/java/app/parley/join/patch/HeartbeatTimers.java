package app.parley.join.patch;

import app.parley.join.LazyTimeouts;
import io.socket.client.Manager;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * engine.io-client-java (2.1) starts a new ping-timeout timer for every packet it receives and
 * cancels the one before. On its own executor a cancelled timer stays queued until it would have
 * fired (pingInterval + pingTimeout, 45 s with Node's defaults), so a busy window holds hundreds of
 * thousands of dead timers that every full collection has to mark and move. An executor that drops
 * cancelled timers still wakes its thread for each new one, as it becomes the next due (figures:
 * docs/PERFORMANCE.md, "Measured in the code"). So each engine socket gets, as it opens, a {@link LazyTimeouts}:
 * restarting the timer changes a queue, and the thread wakes only when a timeout could be due.
 * The library offers no option for its executor; should its fields change, the socket keeps its
 * own executor and everything works as before.
 */
public final class HeartbeatTimers {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatTimers.class);
    private static volatile boolean warned;

    private HeartbeatTimers() {}

    /**
     * Call from the manager's {@link Manager#EVENT_OPEN} listener: the engine socket has just
     * opened and has not started its first timer yet (both run on the library's event thread).
     *
     * @return the executor now in use, or null when the library's fields were not found or the
     *         patches are off
     */
    public static ScheduledExecutorService install(Manager manager) {
        if (!ClientLibraryPatches.enabled()) {
            return null;
        }
        try {
            Object engine = engineOf(manager);
            if (engine == null) {
                return null;
            }
            Field scheduler = schedulerField();
            Object current = scheduler.get(engine);
            if (current instanceof LazyTimeouts ours) {
                return ours;
            }
            LazyTimeouts timers = new LazyTimeouts(r -> {
                Thread t = new Thread(r, "parley-engine-heartbeat");
                t.setDaemon(true);
                return t;
            });
            scheduler.set(engine, timers);
            if (current instanceof ScheduledExecutorService theirs) {
                theirs.shutdown();
            }
            return timers;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.debug("engine.io-client keeps its own heartbeat timers: {}", e.toString());
            }
            return null;
        }
    }

    /** The executor the manager's engine socket times its heartbeat with now, for tests. */
    public static Object current(Manager manager) throws ReflectiveOperationException {
        return schedulerField().get(engineOf(manager));
    }

    /** The manager's engine socket, or null before it has one. */
    private static Object engineOf(Manager manager) throws ReflectiveOperationException {
        return LibraryFields.field(Manager.class, "engine").get(manager);
    }

    /** The engine socket's field holding the executor its heartbeat timers run on. */
    private static Field schedulerField() throws NoSuchFieldException {
        return LibraryFields.field(io.socket.engineio.client.Socket.class, "heartbeatScheduler");
    }
}
