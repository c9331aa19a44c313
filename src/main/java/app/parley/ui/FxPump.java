package app.parley.ui;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * The one hop from socket threads onto the FX thread. Never blocks the caller. Work runs at the
 * start of the next pulse, before that pulse's CSS and layout, so however many times it is
 * posted between two frames, the scene changes once per frame: a flood of messages becomes one
 * list change, one layout and one scroll per pulse, not one per {@code Platform.runLater}.
 *
 * <p>A pulse runs only what was waiting when it began, and stops early once it has spent
 * {@link #BUDGET_NANOS}: the rest runs, in order, at the next pulse, after the window has
 * painted. Work that posts more work (a drain that leaves a backlog) so never keeps one pulse
 * going. While nothing waits the timer is stopped and the pump asks for no pulses.
 */
public final class FxPump implements Executor {
    /** What one pulse spends on posted work before it lets the frame be drawn: half a 60 Hz frame. */
    static final long BUDGET_NANOS = 8_000_000L;

    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    /** True from the first work posted until a pulse finds nothing left. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final AnimationTimer pulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            runPulse();
        }
    };

    @Override
    public void execute(Runnable work) {
        pending.add(work);
        if (scheduled.compareAndSet(false, true)) {
            try {
                Platform.runLater(pulse::start);
            } catch (IllegalStateException toolkitGone) {
                // The window has closed; sessions still report their shutdown, nobody is left to show it.
                pending.clear();
            }
        }
    }

    private void runPulse() {
        assert Platform.isFxApplicationThread();
        long started = System.nanoTime();
        // Only what was waiting when the pulse began: work posted from here waits for the next one.
        for (int due = pending.size(); due > 0; due--) {
            Runnable work = pending.poll();
            if (work == null) {
                break;
            }
            work.run();
            if (System.nanoTime() - started >= BUDGET_NANOS) {
                break;
            }
        }
        if (pending.isEmpty()) {
            scheduled.set(false);
            // Work posted just now saw "scheduled" and did not ask for a start; keep running for it.
            if (pending.isEmpty() || !scheduled.compareAndSet(false, true)) {
                pulse.stop();
            }
        }
    }
}
