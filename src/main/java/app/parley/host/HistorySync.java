package app.parley.host;

import static app.parley.host.Callbacks.runSafely;

import app.parley.store.MessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link History}'s sync thread: syncs what the history thread committed to the disk, then acks
 * it. A sync covers every commit handed over before it began, and syncs begin at least
 * {@link #SYNC_SPACING_NANOS} apart (see {@link History} for why).
 */
final class HistorySync {
    /** Logged under {@link History}, where sync failures have always been reported. */
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    /** Syncs begin at least this far apart; what is committed meanwhile is synced (and acked) together. */
    static final long SYNC_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A transaction committed and routed, waiting for the sync that lets it be acked. */
    private record Committed(List<Append> batch, List<StoredMessage> stored) {}

    /** Counted down once everything handed over before it has been synced and acked. */
    record Drain(CountDownLatch done) {}

    private static final Object STOP = new Object();

    private final MessageStore store;
    /** {@link Committed} transactions, then a {@link Drain} or {@link #STOP}, for the sync thread. */
    private final LinkedBlockingQueue<Object> toSync = new LinkedBlockingQueue<>();

    private final Thread thread;

    /** A sync thread for {@code store}, not yet started. */
    HistorySync(MessageStore store) {
        this.store = store;
        this.thread = new Thread(this::runSyncs, "parley-history-sync");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Commits (and drains) handed over and not yet synced. */
    int waiting() {
        return toSync.size();
    }

    /** Hands over a batch the history thread committed and routed, to be synced and acked. */
    void committed(List<Append> batch, List<StoredMessage> stored) {
        toSync.add(new Committed(batch, stored));
    }

    /** Counts {@code drain} down once everything handed over before it has been synced and acked. */
    void drain(Drain drain) {
        toSync.add(drain);
    }

    /** Syncs and acks everything handed over before this call, then ends the thread. */
    void stop() {
        toSync.add(STOP);
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /**
     * The sync thread: waits for a commit, lets {@link #SYNC_SPACING_NANOS} pass since the last
     * sync began, then syncs everything handed over by then and acks it.
     */
    private void runSyncs() {
        List<Object> taken = new ArrayList<>();
        long lastSync = System.nanoTime() - SYNC_SPACING_NANOS;
        while (true) {
            try {
                Object first = toSync.take();
                long wait = lastSync + SYNC_SPACING_NANOS - System.nanoTime();
                if (first instanceof Committed && wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                taken.add(first);
            } catch (InterruptedException e) {
                return;
            }
            toSync.drainTo(taken);
            lastSync = System.nanoTime();
            List<Committed> covered = new ArrayList<>();
            for (Object item : taken) {
                if (item instanceof Committed committed) {
                    covered.add(committed);
                }
            }
            String failure = covered.isEmpty()
                    ? null
                    : sync(covered.stream().mapToInt(c -> c.batch().size()).sum());
            for (Committed committed : covered) {
                ack(committed, failure);
            }
            for (Object item : taken) {
                if (item instanceof Drain drain) {
                    drain.done().countDown();
                } else if (item == STOP) {
                    return;
                }
            }
            taken.clear();
        }
    }

    /** Syncs the log; the reason to give the senders when that failed, else null. */
    private String sync(int messages) {
        try {
            store.sync();
            return null;
        } catch (StoreException e) {
            LOG.error("Could not sync {} stored messages to the disk", messages, e);
            return "the host could not write it to the disk: " + e.getMessage();
        }
    }

    /** Tells each sender of the batch that its message is on the disk, or why it is not. */
    private static void ack(Committed committed, String failure) {
        for (int i = 0; i < committed.batch().size(); i++) {
            StoredMessage message = committed.stored().get(i);
            Append append = committed.batch().get(i);
            runSafely(() -> {
                if (failure == null) {
                    append.durable().accept(message);
                } else {
                    append.failed().accept(failure);
                }
            });
        }
    }
}
