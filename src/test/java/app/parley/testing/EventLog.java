package app.parley.testing;

import app.parley.session.SessionEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A session listener that queues every {@link SessionEvent} so a test can wait for the one it
 * expects. Waiting consumes the queue in order, so two awaits in a row also check ordering.
 *
 * <pre>{@code
 * EventLog log = new EventLog();
 * session.addListener(log);
 * session.open();
 * String id = log.await(SessionEvent.Connected.class).socketId();
 * }</pre>
 */
public final class EventLog implements Consumer<SessionEvent> {
    /** Upper bound for anything that is going to happen over loopback. */
    public static final long WAIT_MILLIS = 5_000;
    /** Long enough for an event that is going to arrive to arrive; used to prove absence. */
    public static final long QUIET_MILLIS = 400;

    private final BlockingQueue<SessionEvent> pending = new LinkedBlockingQueue<>();
    private final List<SessionEvent> everything = new CopyOnWriteArrayList<>();

    @Override
    public void accept(SessionEvent event) {
        everything.add(event);
        pending.add(event);
    }

    public <T extends SessionEvent> T await(Class<T> type) {
        return await(type, event -> true);
    }

    /** Skips events until one of {@code type} matches, failing after {@link #WAIT_MILLIS}. */
    public <T extends SessionEvent> T await(Class<T> type, Predicate<? super T> wanted) {
        return next(type, wanted, WAIT_MILLIS)
                .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " matched within " + WAIT_MILLIS
                        + " ms; every event so far: " + everything));
    }

    /**
     * Like {@link #await(Class, Predicate)}, but also matches an event that has already arrived,
     * even one an earlier wait skipped: for events whose order relative to others is incidental.
     */
    public <T extends SessionEvent> T awaitEver(Class<T> type, Predicate<? super T> wanted) {
        for (SessionEvent event : everything) {
            if (type.isInstance(event) && wanted.test(type.cast(event))) {
                return type.cast(event);
            }
        }
        return await(type, wanted);
    }

    /** The next matching event within {@code millis}, or empty; skipped events are dropped. */
    public <T extends SessionEvent> Optional<T> next(Class<T> type, Predicate<? super T> wanted, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                SessionEvent event = left <= 0 ? pending.poll() : pending.poll(left, TimeUnit.NANOSECONDS);
                if (event == null) {
                    return Optional.empty();
                }
                if (type.isInstance(event) && wanted.test(type.cast(event))) {
                    return Optional.of(type.cast(event));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + type.getSimpleName(), e);
        }
    }

    /** Fails if an event of {@code type} arrives within {@link #QUIET_MILLIS}. */
    public <T extends SessionEvent> void assertNone(Class<T> type) {
        next(type, event -> true, QUIET_MILLIS).ifPresent(event -> {
            throw new AssertionError("Expected no " + type.getSimpleName() + " but got " + event);
        });
    }

    /** Every event received so far, including those already consumed by waits. */
    public List<SessionEvent> all() {
        return List.copyOf(everything);
    }
}
