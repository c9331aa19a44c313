package app.parley.join;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Speed and pacing of one transfer's progress events: the bytes per second over the last few
 * seconds, and whether an event is due (at most one each {@link #INTERVAL_NANOS}, so a fast
 * transfer does not flood the window). Used from one thread at a time (the transfer's own).
 */
final class TransferMeter {
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final LongSupplier clock;
    /** (time, bytes done) samples of the last {@link #WINDOW_NANOS}, oldest first. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    private long lastEvent;
    private boolean evented;

    TransferMeter() {
        this(System::nanoTime);
    }

    TransferMeter(LongSupplier clock) {
        this.clock = clock;
    }

    /** Notes that {@code done} bytes are done now; true when a progress event is due. */
    boolean tick(long done) {
        long now = clock.getAsLong();
        samples.addLast(new long[] {now, done});
        // Keep one sample older than the window, so the speed spans the whole window.
        while (samples.size() > 2 && now - secondOldest() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        if (evented && now - lastEvent < INTERVAL_NANOS) {
            return false;
        }
        evented = true;
        lastEvent = now;
        return true;
    }

    /** Bytes per second over the last few seconds; 0 until there is enough to tell. */
    double bytesPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long nanos = last[0] - first[0];
        if (nanos < TimeUnit.MILLISECONDS.toNanos(100)) {
            return 0;
        }
        return Math.max(0, last[1] - first[1]) * 1e9 / nanos;
    }

    /** Paused: the speed before the pause says nothing about the speed after it. */
    void reset() {
        samples.clear();
    }

    private long secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next()[0];
    }
}
