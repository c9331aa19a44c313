package app.parley.join;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for timeouts that are pushed back far more often than they fire, as
 * engine.io-client's ping timeout is on every packet received ({@link app.parley.join.patch.HeartbeatTimers}).
 *
 * <p>A {@link ScheduledThreadPoolExecutor} wakes its thread whenever a task scheduled from
 * another thread becomes the next one due, so every restart of a timeout costs a wake-up. Here
 * scheduling and cancelling only change a queue under a lock; the thread is woken at the earliest
 * deadline it was armed for, runs what is due by then, and arms itself for the next. A deadline
 * earlier than the armed one re-arms it (a wake-up), a later one does not.
 *
 * <p>{@link #schedule} runs a task at most once, on the thread, like the executor's; periodic tasks
 * and {@link #execute} go straight to the underlying executor. On {@link #shutdown} delayed tasks
 * are dropped (the library shuts its scheduler down once the socket has closed, when a pending
 * ping timeout has nothing left to do).
 */
public final class LazyTimeouts extends AbstractExecutorService implements ScheduledExecutorService {
    private final ScheduledThreadPoolExecutor thread;
    /** Timeouts not yet run nor cancelled, earliest first; guarded by itself. */
    private final PriorityQueue<Timeout<?>> due = new PriorityQueue<>();
    /** When the thread is next armed to look, or Long.MAX_VALUE when it is not; guarded by {@link #due}. */
    private long armedFor = Long.MAX_VALUE;
    /** The thread's armed look, or null; guarded by {@link #due}. */
    private ScheduledFuture<?> look;

    public LazyTimeouts(ThreadFactory threads) {
        thread = new ScheduledThreadPoolExecutor(1, threads);
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Timeout<>(Executors.callable(command, null), System.nanoTime() + unit.toNanos(delay)));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Timeout<>(callable, System.nanoTime() + unit.toNanos(delay)));
    }

    private <V> Timeout<V> enqueue(Timeout<V> timeout) {
        synchronized (due) {
            if (thread.isShutdown()) {
                throw new RejectedExecutionException("the scheduler has been shut down");
            }
            due.add(timeout);
            if (timeout.deadline - armedFor < 0) {
                arm(timeout.deadline);
            }
        }
        return timeout;
    }

    /** Under the lock: the thread looks at {@code deadline} instead (a wake-up when it is asleep). */
    private void arm(long deadline) {
        if (look != null) {
            look.cancel(false); // taken off the thread's queue without waking it
        }
        armedFor = deadline;
        look = thread.schedule(() -> runDue(deadline), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** On the thread: runs what is due and arms the next look, unless a look armed since supersedes this one. */
    private void runDue(long armedAt) {
        List<Timeout<?>> ready = new ArrayList<>();
        synchronized (due) {
            if (armedFor != armedAt) {
                return; // re-armed meanwhile: that look runs what is due
            }
            long now = System.nanoTime();
            while (!due.isEmpty() && due.peek().deadline - now <= 0) {
                ready.add(due.poll());
            }
            armedFor = Long.MAX_VALUE;
            look = null;
            if (!due.isEmpty() && !thread.isShutdown()) {
                arm(due.peek().deadline);
            }
        }
        ready.forEach(Timeout::run);
    }

    private void forget(Timeout<?> timeout) {
        synchronized (due) {
            due.remove(timeout); // the armed look stays; it finds nothing due and re-arms for the next
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return thread.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return thread.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        thread.execute(command);
    }

    @Override
    public void shutdown() {
        synchronized (due) {
            due.clear();
            thread.shutdown();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (due) {
            due.clear();
            return thread.shutdownNow();
        }
    }

    @Override
    public boolean isShutdown() {
        return thread.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return thread.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return thread.awaitTermination(timeout, unit);
    }

    /** Timeouts waiting to run, for tests. */
    int waiting() {
        synchronized (due) {
            return due.size();
        }
    }

    /** Tasks queued on the thread itself (armed looks and periodic tasks), for tests. */
    int armed() {
        return thread.getQueue().size();
    }

    private final class Timeout<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long deadline;

        Timeout(Callable<V> task, long deadline) {
            super(task);
            this.deadline = deadline;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return other instanceof Timeout<?> t
                    ? Long.compare(deadline - t.deadline, 0)
                    : Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                forget(this);
            }
            return cancelled;
        }
    }
}
