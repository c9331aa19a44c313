package app.parley.join;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * When the next reconnection attempt is, after a lost connection: 1, 2, 4 … up to
 * {@link #MAX_BACKOFF} from the first delay, each ±50 % so clients of a restarted host do not all
 * come back at once, and a status line that says when ("Reconnecting in 4 s."). Runs on the
 * connection's timer thread.
 */
final class ReconnectSchedule {
    /** The longest wait between reconnection attempts. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ScheduledExecutorService timers;
    private final long firstMillis;
    private final BooleanSupplier needless;
    private final Consumer<String> status;
    private final Runnable attempt;
    private final Random jitter = new Random();
    private int failedAttempts;
    private ScheduledFuture<?> nextAttempt;

    /**
     * @param needless whether no attempt is needed any more (closed, or connected again)
     * @param status   shows the reconnecting status line
     * @param attempt  connects now
     */
    ReconnectSchedule(
            ScheduledExecutorService timers,
            Duration first,
            BooleanSupplier needless,
            Consumer<String> status,
            Runnable attempt) {
        this.timers = timers;
        this.firstMillis = first.toMillis();
        this.needless = needless;
        this.status = status;
        this.attempt = attempt;
    }

    /** Plans the next attempt, unless one is planned already; {@code why} starts the status line. */
    void after(String why) {
        timers.execute(() -> {
            if (needless.getAsBoolean() || (nextAttempt != null && !nextAttempt.isDone())) {
                return;
            }
            long backoff = Math.min(MAX_BACKOFF.toMillis(), firstMillis << Math.min(failedAttempts, 16));
            long delay = Math.max(1, (long) (backoff * (0.5 + jitter.nextDouble())));
            failedAttempts++;
            status.accept((why.isEmpty() ? "" : why + " ") + "Reconnecting in "
                    + Math.max(1, Math.round(delay / 1000.0)) + " s.");
            nextAttempt = timers.schedule(attempt, delay, TimeUnit.MILLISECONDS);
        });
    }

    /** Retry now: the planned attempt happens at once. */
    void now() {
        timers.execute(() -> {
            if (nextAttempt != null) {
                nextAttempt.cancel(false);
            }
            attempt.run();
        });
    }

    /** Connected: the next loss starts from the first delay again. */
    void reset() {
        failedAttempts = 0;
    }
}
