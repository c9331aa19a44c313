package app.parley.host;

import app.parley.store.MessageStore;
import app.parley.store.NewMessage;
import app.parley.store.SqliteMessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one way to its {@link MessageStore}: a single thread that stores messages in the
 * order they arrived, one transaction for whatever queued meanwhile (group commit). For each
 * transaction it hands every message back twice: once committed, so the host routes only what
 * is stored (a killed host loses nothing anyone received), and again once the store has synced
 * it to the disk, so the host acks only what survives a power cut. The sync comes after the
 * routing: a message's delivery never waits for its own disk flush. History reads run on the
 * same thread, in order with the writes.
 *
 * <p>Never called with a lock held, never blocks an I/O thread: callers pass what to do next.
 */
final class History implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    /** Most messages one transaction carries. */
    private static final int BATCH = 256;
    /** Past this many waiting tasks the host refuses new messages instead of growing without bound. */
    private static final int MAX_WAITING = 50_000;

    private record Append(NewMessage message, Consumer<StoredMessage> stored, Consumer<StoredMessage> durable,
            Consumer<String> failed) {
    }

    private final MessageStore store;
    private final Path temporary;
    private final LinkedBlockingQueue<Object> tasks = new LinkedBlockingQueue<>(MAX_WAITING);
    private final Thread thread;
    private volatile boolean closing;

    private History(MessageStore store, Path temporary) {
        this.store = store;
        this.temporary = temporary;
        this.thread = new Thread(this::run, "parley-history");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Opens the history in {@code file}, or in a temporary file deleted on close when {@code file}
     * is null.
     *
     * @throws HostException with a reason a person can act on
     */
    static History open(Path file) {
        Path temporary = null;
        try {
            if (file == null) {
                temporary = Files.createTempFile("parley-history-", ".db");
                Files.delete(temporary); // the store creates it, with its schema
            }
            return new History(SqliteMessageStore.open(file == null ? temporary : file), temporary);
        } catch (IOException e) {
            throw new HostException("Cannot create a temporary history file: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new HostException("Cannot open the history " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code message}; calls {@code stored} once it is committed, then {@code durable} once it
     * is on the disk, both on the history thread. Or {@code failed}, with a reason, instead of
     * whichever has not run yet.
     */
    void append(NewMessage message, Consumer<StoredMessage> stored, Consumer<StoredMessage> durable,
            Consumer<String> failed) {
        if (closing) {
            failed.accept("the host is stopping");
        } else if (!tasks.offer(new Append(message, stored, durable, failed))) {
            failed.accept("the host is busy storing messages; try again in a moment");
        }
    }

    /** Runs a read in order with the writes; {@code then} gets its result on the history thread. */
    <T> void read(Supplier<T> query, Consumer<T> then, Consumer<String> failed) {
        Runnable task = () -> {
            T result;
            try {
                result = query.get();
            } catch (StoreException e) {
                failed.accept("history is unavailable: " + e.getMessage());
                return;
            }
            then.accept(result);
        };
        if (closing || !tasks.offer(task)) {
            failed.accept(closing ? "the host is stopping" : "the host is busy; try again in a moment");
        }
    }

    /** Waits (up to {@code millis}) until everything queued before this call has run. */
    void drain(long millis) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        if (!tasks.offer((Runnable) done::countDown)) {
            return;
        }
        try {
            done.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    MessageStore store() {
        return store;
    }

    private void run() {
        List<Append> batch = new ArrayList<>();
        while (true) {
            Object task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            if (task instanceof Runnable read) {
                runSafely(read);
                continue;
            }
            batch.add((Append) task);
            while (batch.size() < BATCH && tasks.peek() instanceof Append) {
                batch.add((Append) tasks.poll());
            }
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Append> batch) {
        List<StoredMessage> stored;
        try {
            stored = store.append(batch.stream().map(Append::message).toList());
        } catch (StoreException e) {
            LOG.error("Could not store {} messages", batch.size(), e);
            batch.forEach(a -> runSafely(() -> a.failed().accept("the host could not store it: " + e.getMessage())));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            StoredMessage message = stored.get(i);
            Append append = batch.get(i);
            runSafely(() -> append.stored().accept(message));
        }
        String failure = null;
        try {
            store.sync();
        } catch (StoreException e) {
            LOG.error("Could not sync {} stored messages to the disk", batch.size(), e);
            failure = "the host could not write it to the disk: " + e.getMessage();
        }
        for (int i = 0; i < batch.size(); i++) {
            StoredMessage message = stored.get(i);
            Append append = batch.get(i);
            String reason = failure;
            runSafely(() -> {
                if (reason == null) {
                    append.durable().accept(message);
                } else {
                    append.failed().accept(reason);
                }
            });
        }
    }

    /** What runs here routes and acks messages: one failing callback must not stop the thread. */
    private static void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("A history callback failed", e);
        }
    }

    private static final Object STOP = new Object();

    /** Finishes what is queued, then closes the store (and deletes a temporary one). */
    @Override
    public void close() {
        closing = true;
        try {
            tasks.put(STOP);
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        if (temporary != null) {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(Path.of(temporary + suffix));
                } catch (IOException e) {
                    LOG.warn("Could not delete {}{}", temporary, suffix);
                }
            }
        }
    }
}
