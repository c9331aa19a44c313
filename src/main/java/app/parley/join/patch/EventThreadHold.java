package app.parley.join.patch;

import io.socket.thread.EventThread;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * socket.io-client-java (2.1) runs every listener and every emit on its one "EventThread", through
 * an executor that it shuts down whenever its queue runs empty, starting a new thread for the next
 * task. A connection receiving a steady stream thus starts a thread for nearly every packet that
 * finds the queue empty (figures: docs/PERFORMANCE.md, "Measured in the code"). The library offers no
 * option for it, so while any connection is open this counts one task more than have run, which
 * keeps the executor (and its thread) alive; the last connection closing takes that count back
 * and shuts the executor down as the library would. The kept thread is a daemon, so an app that
 * exits without closing a connection is not held open by it. Should the library's fields change,
 * nothing is held and everything works as before, with a thread per burst.
 */
public final class EventThreadHold {
    private static final Logger LOG = LoggerFactory.getLogger(EventThreadHold.class);
    /** Open connections holding the thread; guarded by {@code EventThread.class}, the library's own lock. */
    private static int holders;
    /** Whether the library's count carries this class's extra task. */
    private static boolean held;

    private EventThreadHold() {}

    /** A connection opens: keep the event thread while it is open. Pair with one {@link #release}. */
    public static void acquire() {
        synchronized (EventThread.class) {
            if (holders++ > 0 || !ClientLibraryPatches.enabled()) {
                return;
            }
            try {
                Field counter = field("counter");
                Field service = field("service");
                if (service.get(null) == null) {
                    ThreadFactory library =
                            (ThreadFactory) field("THREAD_FACTORY").get(null);
                    service.set(null, Executors.newSingleThreadExecutor(task -> {
                        Thread thread = library.newThread(task); // also what EventThread.isCurrent() compares with
                        thread.setDaemon(true);
                        return thread;
                    }));
                }
                counter.setInt(null, counter.getInt(null) + 1);
                held = true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("socket.io-client starts its event thread anew for each burst: {}", e.toString());
            }
        }
    }

    /** A connection closed: once none is open, the event thread ends when its queue is empty, as the library's would. */
    public static void release() {
        synchronized (EventThread.class) {
            if (holders == 0 || --holders > 0 || !held) {
                return;
            }
            held = false;
            try {
                Field counter = field("counter");
                int left = counter.getInt(null) - 1;
                counter.setInt(null, left);
                if (left == 0) {
                    Field service = field("service");
                    ExecutorService executor = (ExecutorService) service.get(null);
                    if (executor != null) {
                        executor.shutdown();
                    }
                    service.set(null, null);
                    field("thread").set(null, null);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not let socket.io-client's event thread go: {}", e.toString());
            }
        }
    }

    /**
     * Runs {@code task} on the event thread, after what it is doing now: where the socket's state
     * may be read and an emit made without racing the library's own work.
     */
    public static void exec(Runnable task) {
        EventThread.exec(task);
    }

    /** Connections holding the event thread now, for tests. */
    public static int holders() {
        synchronized (EventThread.class) {
            return holders;
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        return LibraryFields.field(EventThread.class, name);
    }
}
