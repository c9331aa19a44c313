package app.parley.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/**
 * The one hop from socket threads onto the FX thread. Never blocks the caller; work posted
 * while a batch is pending joins that batch, so a flood of messages becomes one
 * {@code Platform.runLater} per pulse instead of thousands.
 */
public final class FxPump implements Executor {
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    @Override
    public void execute(Runnable work) {
        pending.add(work);
        if (scheduled.compareAndSet(false, true)) {
            try {
                Platform.runLater(this::drain);
            } catch (IllegalStateException toolkitGone) {
                // The window has closed; sessions still report their shutdown, nobody is left to show it.
                pending.clear();
            }
        }
    }

    private void drain() {
        assert Platform.isFxApplicationThread();
        scheduled.set(false);
        List<Runnable> batch = new ArrayList<>();
        for (Runnable r = pending.poll(); r != null; r = pending.poll()) {
            batch.add(r);
        }
        batch.forEach(Runnable::run);
    }
}
