package app.parley.testing;

import app.parley.session.NearbyEvent;
import app.parley.session.NearbySessions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Browsing as the start screen sees it, with the sessions a test announces: what {@link #emit}
 * is given reaches the listener on a discovery thread of its own, never the caller's and never
 * the FX thread, as JmDNS's would. The real browser is tested with the discovery code.
 */
public final class NearbyFeed implements NearbySessions {
    /** Name of the thread events arrive on. */
    public static final String THREAD = "test-discovery";

    private static final long MAX_LIFE_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final BlockingQueue<NearbyEvent> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread discovery;
    private volatile String closedOn;
    private final java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void start(Consumer<NearbyEvent> listener) {
        if (discovery != null) {
            throw new IllegalStateException("started twice");
        }
        Thread thread = new Thread(() -> deliver(listener), THREAD);
        thread.setDaemon(true);
        discovery = thread;
        thread.start();
        started.countDown();
    }

    /** Announces an event; it reaches the listener on the discovery thread. */
    public void emit(NearbyEvent event) {
        queue.add(event);
    }

    @Override
    public void close() {
        closedOn = Thread.currentThread().getName();
        closed.countDown();
        Thread thread = discovery;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean awaitStarted(long seconds) throws InterruptedException {
        return started.await(seconds, TimeUnit.SECONDS);
    }

    public boolean awaitClosed(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** The thread {@link #close()} ran on, or null while open. */
    public String closedOn() {
        return closedOn;
    }

    /** How many events the listener has been handed so far. */
    public int delivered() {
        return delivered.get();
    }

    /** Whether the discovery thread is still running (it ends once closed). */
    public boolean threadAlive() {
        Thread thread = discovery;
        return thread != null && thread.isAlive();
    }

    private void deliver(Consumer<NearbyEvent> listener) {
        long deadline = System.nanoTime() + MAX_LIFE_NANOS;
        try {
            while (closed.getCount() > 0 && System.nanoTime() < deadline) {
                NearbyEvent event = queue.poll(50, TimeUnit.MILLISECONDS);
                if (event != null && closed.getCount() > 0) {
                    listener.accept(event);
                    delivered.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
