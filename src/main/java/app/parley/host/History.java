package app.parley.host;

import static app.parley.host.Callbacks.runSafely;

import app.parley.store.MessageStore;
import app.parley.store.NewMessage;
import app.parley.store.PostgresMessageStore;
import app.parley.store.SqliteMessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one way to its {@link MessageStore}. Writes, reads and the callbacks that route
 * what was stored all run under one lock, in the order they were asked for. A message is
 * committed first, and routed once committed, so a killed host loses nothing anyone received.
 * Then the store syncs it to the disk, and only then is the host told it is durable, so it acks
 * only what survives a power cut.
 *
 * <p>Two ways in, in one order:
 * <ul>
 *   <li>Messages read on one of Netty's I/O threads are gathered until the thread has handled
 *       what its last wait for the network brought, then stored in one transaction and routed
 *       right there when nothing is queued or running. That spares them the hand-off to the
 *       history thread, a wake-up that costs most on a busy machine, and a sender's burst
 *       shares one commit (figures: docs/PERFORMANCE.md, "Measured in the code").</li>
 *   <li>Everything else queues for the history thread: messages that come while another task
 *       runs, messages from other threads, and reads. The thread stores whatever queued meanwhile
 *       in one transaction (group commit) and routes it.</li>
 * </ul>
 *
 * <p>Syncs and acks are the sync thread's. A sync covers every commit handed to it before it
 * began, from either way in, and messages go on being stored and routed while it runs: no
 * delivery waits for a disk flush (a slow sync once held up every message behind it; see
 * docs/PERFORMANCE.md). Syncs begin at least {@link HistorySync#SYNC_SPACING_NANOS}
 * apart, so a busy host flushes the disk for many messages at once: a lone message is synced at
 * once, and its sender waits at most that much longer for the ack when others send too.
 *
 * <p>An I/O thread never waits for the lock (it only tries it) and never flushes the disk.
 * Callers pass what to do next.
 */
final class History implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    /** Most messages one transaction carries. */
    private static final int BATCH = 256;
    /** Past this many waiting tasks (or commits waiting for a sync) the host refuses new messages instead of growing without bound. */
    private static final int MAX_WAITING = 50_000;

    private static final String BUSY = "the host is busy storing messages; try again in a moment";

    private static final Object STOP = new Object();
    /** Stands in the queue for one {@link #background} read. */
    private static final Object BACKGROUND = new Object();

    private final MessageStore store;
    private final Path temporary;
    private final LinkedBlockingQueue<Object> tasks = new LinkedBlockingQueue<>(MAX_WAITING);
    /** Held while the store is written or read and while what was stored is routed. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Tasks queued or being run by the history thread: a message is stored in place only when none are. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Reads that let every write and every other read go first ({@link #readInBackground}). */
    private final ConcurrentLinkedQueue<Runnable> background = new ConcurrentLinkedQueue<>();
    /** {@link #BACKGROUND} markers among {@link #pending}. */
    private final AtomicInteger backgroundQueued = new AtomicInteger();
    /** However busy the writers, one background read runs at least this often, so none starves. */
    private static final long BACKGROUND_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** When the history thread last ran a background read. Only it touches this. */
    private long lastBackgroundNanos = System.nanoTime();
    /** Syncs and acks what the history thread (or an I/O thread) committed. */
    private final HistorySync syncs;
    /** The I/O loop running the calling thread, or null off the engine's loops. */
    private final Supplier<EventExecutor> currentLoop;

    private final Thread thread;
    private volatile boolean closing;
    /** A cluster's order of live messages, told with each append what others stored just before; else null. */
    private volatile LiveOrder order;
    /** The last time {@link #nowUnderLock} gave, epoch ms. Guarded by {@link #lock}. */
    private long lastStamp;

    private History(MessageStore store, Path temporary, Supplier<EventExecutor> currentLoop) {
        this.store = store;
        this.temporary = temporary;
        this.currentLoop = currentLoop;
        this.syncs = new HistorySync(store);
        this.thread = new Thread(this::run, "parley-history");
        thread.setDaemon(true);
        thread.start();
        syncs.start();
    }

    /**
     * Opens the history in {@code file}, or in a temporary file deleted on close when {@code file}
     * is null. {@code currentLoop} names the I/O loop a caller of {@link #append} runs on (null
     * off the loops); messages read there are stored at the end of that loop's turn.
     *
     * @throws HostException with a reason a person can act on
     */
    static History open(Path file, Supplier<EventExecutor> currentLoop) {
        Path temporary = null;
        try {
            if (file == null) {
                temporary = Files.createTempFile("parley-history-", ".db");
                Files.delete(temporary); // the store creates it, with its schema
            }
            return new History(SqliteMessageStore.open(file == null ? temporary : file), temporary, currentLoop);
        } catch (IOException e) {
            throw new HostException("Cannot create a temporary history file: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new HostException("Cannot open the history " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The history {@code config} asks for: in PostgreSQL with {@code --store}, else as
     * {@link #open(Path, Supplier)} in {@code config.history()}.
     */
    static History open(HostConfig config, Supplier<EventExecutor> currentLoop) {
        if (config.store() == null) {
            return open(config.history(), currentLoop);
        }
        try {
            // Every call waits for the network: none may run on an I/O thread, so messages read
            // there queue for the history thread too (no caller is taken to be on a loop).
            return new History(PostgresMessageStore.open(config.store()), null, () -> null);
        } catch (StoreException e) {
            throw new HostException(e.getMessage(), e);
        }
    }

    /** A history over {@code store}, which it closes on close; {@code currentLoop} as for {@link #open}. */
    static History over(MessageStore store, Supplier<EventExecutor> currentLoop) {
        return new History(store, null, currentLoop);
    }

    /**
     * Stores {@code message}; calls {@code stored} once it is committed (under the lock, on this I/O
     * thread or the history thread), then {@code durable} once it is on the disk (on the sync
     * thread). Or {@code failed}, with a reason, instead of whichever has not run yet.
     */
    void append(
            NewMessage message,
            Consumer<StoredMessage> stored,
            Consumer<StoredMessage> durable,
            Consumer<String> failed) {
        Append append = new Append(message, stored, durable, failed);
        EventExecutor loop = currentLoop.get();
        if (closing) {
            failed.accept("the host is stopping");
        } else if (syncs.waiting() >= MAX_WAITING) {
            failed.accept("the host is waiting for its disk; try again in a moment");
        } else if (loop != null) { // on one of Netty's I/O threads
            List<Append> batch = LOOP_BATCH.get();
            if (batch.isEmpty()) {
                try {
                    loop.execute(() -> storeLoopBatch(batch));
                } catch (RejectedExecutionException e) {
                    failed.accept("the host is stopping"); // the I/O thread is shutting down
                    return;
                }
            }
            batch.add(append);
        } else if (!queue(append)) {
            failed.accept(BUSY);
        }
    }

    /**
     * Messages read on one of Netty's I/O threads, gathered until it has handled what its last wait
     * brought: one sender's burst, or several people's messages that came together. The thread
     * stores them as its next task, in one transaction.
     */
    private static final ThreadLocal<List<Append>> LOOP_BATCH = ThreadLocal.withInitial(ArrayList::new);

    /**
     * On the I/O thread, after the reads that gathered {@code gathered}: when nothing is queued or
     * running, stores and routes them here, sparing them the hand-off to the history thread; else
     * queues them behind what is, in order. An I/O thread never waits for the lock.
     */
    private void storeLoopBatch(List<Append> gathered) {
        List<Append> batch = List.copyOf(gathered);
        gathered.clear();
        if (closing) {
            batch.forEach(a -> runSafely(() -> a.failed().accept("the host is stopping")));
            return;
        }
        if (pending.get() == 0 && lock.tryLock()) {
            try {
                if (pending.get() == 0 && !closing) {
                    storeAndRoute(batch);
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        if (!queue(batch)) {
            batch.forEach(a -> runSafely(() -> a.failed().accept(BUSY)));
        }
    }

    private boolean queue(Object task) {
        pending.incrementAndGet();
        if (tasks.offer(task)) {
            return true;
        }
        pending.decrementAndGet();
        return false;
    }

    /**
     * The highest {@code seq} in each conversation (0 for none), for a {@code caught-up}; empty
     * unless the caller holds the lock, where nothing can be stored between the read and going live.
     */
    Map<String, Long> latestSeqsUnderLock(List<String> conversations) {
        if (!lock.isHeldByCurrentThread()) {
            return Map.of();
        }
        Map<String, Long> seqs = new java.util.LinkedHashMap<>();
        try {
            for (String conversation : conversations) {
                seqs.put(conversation, store.latestSeq(conversation));
            }
        } catch (StoreException e) {
            return Map.of(); // the client resumes as before it knew: nothing worse than without
        }
        return seqs;
    }

    /**
     * Under the lock, the time of what is routed now, never before an earlier one (else the clock):
     * times follow routing order, which a resume's {@code at} relies on (docs/PROTOCOL.md §4.1).
     */
    long nowUnderLock() {
        long now = System.currentTimeMillis();
        if (!lock.isHeldByCurrentThread()) {
            return now;
        }
        lastStamp = Math.max(lastStamp, now);
        return lastStamp;
    }

    /** Runs a read in order with the writes; {@code then} gets its result on the history thread, under the lock. */
    <T> void read(Supplier<T> query, Consumer<T> then, Consumer<String> failed) {
        Runnable task = readTask(query, then, failed);
        if (closing || !queue(task)) {
            failed.accept(closing ? "the host is stopping" : "the host is busy; try again in a moment");
        }
    }

    /**
     * Like {@link #read}, but it waits while writes or other reads are queued: for bulk reads (a
     * replay's pages) that must not delay anyone's message. Background reads run in turn.
     */
    <T> void readInBackground(Supplier<T> query, Consumer<T> then, Consumer<String> failed) {
        Runnable task = readTask(query, then, failed);
        background.add(task);
        backgroundQueued.incrementAndGet();
        if (closing || !queue(BACKGROUND)) {
            background.remove(task);
            backgroundQueued.decrementAndGet();
            failed.accept(closing ? "the host is stopping" : "the host is busy; try again in a moment");
        }
    }

    private static <T> Runnable readTask(Supplier<T> query, Consumer<T> then, Consumer<String> failed) {
        return () -> {
            T result;
            try {
                result = query.get();
            } catch (StoreException e) {
                failed.accept("history is unavailable: " + e.getMessage());
                return;
            }
            then.accept(result);
        };
    }

    /** Waits (up to {@code millis}) until everything queued before this call has been stored, synced and acked. */
    void drain(long millis) {
        HistorySync.Drain drain = new HistorySync.Drain(new CountDownLatch(1));
        if (!queue(drain)) {
            return;
        }
        try {
            drain.done().await(millis, TimeUnit.MILLISECONDS);
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
                lock.lock(); // a message being stored in place finishes (and is handed over) first
                lock.unlock();
                syncs.stop();
                return;
            }
            if (task == BACKGROUND
                    && pending.get() > backgroundQueued.get()
                    && System.nanoTime() - lastBackgroundNanos < BACKGROUND_SPACING_NANOS
                    && tasks.offer(BACKGROUND)) {
                continue; // foreground work is queued: it goes first, this waits at the back
            }
            int taken = 1;
            lock.lock();
            try {
                if (task == BACKGROUND) {
                    backgroundQueued.decrementAndGet();
                    lastBackgroundNanos = System.nanoTime();
                    runSafely(background.poll());
                } else if (task instanceof Runnable read) {
                    runSafely(read);
                } else if (task instanceof HistorySync.Drain drain) {
                    syncs.drain(drain);
                } else {
                    addTask(batch, task);
                    while (batch.size() < BATCH && (tasks.peek() instanceof Append || tasks.peek() instanceof List)) {
                        addTask(batch, tasks.poll());
                        taken++;
                    }
                    storeAndRoute(List.copyOf(batch));
                    batch.clear();
                }
            } finally {
                pending.addAndGet(-taken);
                lock.unlock();
            }
        }
    }

    /** A queued message, or the list of messages an I/O thread gathered. */
    @SuppressWarnings("unchecked")
    private static void addTask(List<Append> batch, Object task) {
        if (task instanceof Append append) {
            batch.add(append);
        } else {
            batch.addAll((List<Append>) task);
        }
    }

    /**
     * In a cluster: each append asks the store for what other hosts stored just before it in the
     * same conversations, past what {@code liveOrder} delivered, and hands it over before routing
     * the batch, so the batch's messages are not held until Redis brings those.
     */
    void routeInOrderWith(LiveOrder liveOrder) {
        this.order = liveOrder;
    }

    /** Under the lock: commits the batch in one transaction, routes it and hands it to the sync thread. */
    private void storeAndRoute(List<Append> batch) {
        List<StoredMessage> stored;
        Instant now = Instant.ofEpochMilli(nowUnderLock()); // not as read: one read first may come later
        LiveOrder inOrder = order;
        List<StoredMessage> before = List.of();
        try {
            List<NewMessage> messages =
                    batch.stream().map(a -> a.message().at(now)).toList();
            if (inOrder == null) {
                stored = store.append(messages);
            } else {
                MessageStore.Appended appended = store.append(
                        messages,
                        inOrder.fillableFromAppends(messages.stream()
                                .map(NewMessage::conversation)
                                .distinct()
                                .toList()));
                stored = appended.stored();
                before = appended.storedBefore();
            }
        } catch (StoreException e) {
            LOG.error("Could not store {} messages", batch.size(), e);
            batch.forEach(a -> runSafely(() -> a.failed().accept("the host could not store it: " + e.getMessage())));
            return;
        }
        if (!before.isEmpty()) {
            List<StoredMessage> earlier = before;
            runSafely(() -> inOrder.storedBefore(earlier));
        }
        for (int i = 0; i < batch.size(); i++) {
            StoredMessage message = stored.get(i);
            Append append = batch.get(i);
            runSafely(() -> append.stored().accept(message));
        }
        syncs.committed(batch, stored);
    }

    /** Finishes what is queued, syncs and acks it, then closes the store (and deletes a temporary one). */
    @Override
    public void close() {
        closing = true;
        try {
            tasks.put(STOP);
            thread.join(10_000);
            syncs.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock(); // a message being stored in place finishes first
        try {
            store.close();
        } finally {
            lock.unlock();
        }
        if (temporary != null) {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".lock"}) {
                try {
                    Files.deleteIfExists(Path.of(temporary + suffix));
                } catch (IOException e) {
                    LOG.warn("Could not delete {}{}", temporary, suffix);
                }
            }
        }
    }
}
