package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.MessageStore;
import app.parley.store.NewMessage;
import app.parley.store.SqliteMessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import io.netty.channel.DefaultEventLoop;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link History} over a real SQLite file whose syncs the test holds back, as a slow disk would:
 * what is committed is routed at once, on either path, and acked only once a sync that began after
 * its commit has finished.
 */
class HistoryTest {
    @TempDir
    Path dir;

    private GatedStore store;
    private History history;
    /** A Netty event loop: messages handed over on it are stored there, at the end of its task. */
    private final DefaultEventLoop ioThread = new DefaultEventLoop();

    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();
    private final BlockingQueue<String> routed = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> acked = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> failed = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        store = new GatedStore(SqliteMessageStore.open(dir.resolve("history.db")));
        history = History.over(store, () -> ioThread.inEventLoop() ? ioThread : null);
    }

    @AfterEach
    void close() {
        store.open.release(1_000);
        history.close();
        ioThread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        otherThread.shutdownNow();
    }

    private static NewMessage message(String text) {
        return new NewMessage(
                "#room", UUID.randomUUID().toString(), "s:ann", null, "ann", null, "room", "room", text, Instant.now());
    }

    private void append(java.util.concurrent.Executor on, String text) {
        on.execute(() -> history.append(
                message(text),
                stored -> routed.add(stored.message().text() + "@" + stored.seq()),
                stored -> acked.add(stored.message().text()),
                reason -> failed.add(text + ": " + reason)));
    }

    @Test
    void messagesAreRoutedWhileASyncHangsAndAckedOnlyAfterIt() throws Exception {
        append(ioThread, "first");
        assertThat(routed.poll(10, TimeUnit.SECONDS)).isEqualTo("first@1");
        assertThat(store.syncStarted.tryAcquire(10, TimeUnit.SECONDS))
                .as("a sync began")
                .isTrue();

        // The disk hangs in that sync; more messages, on both paths, are stored and routed meanwhile.
        append(ioThread, "second");
        append(otherThread, "third");
        append(ioThread, "fourth");
        List<String> meanwhile = List.of(poll(routed), poll(routed), poll(routed));
        assertThat(meanwhile)
                .map(line -> line.substring(0, line.indexOf('@')))
                .containsExactlyInAnyOrder("second", "third", "fourth");
        assertThat(meanwhile)
                .map(line -> line.substring(line.indexOf('@') + 1))
                .containsExactlyInAnyOrder("2", "3", "4");
        assertThat(acked.poll(300, TimeUnit.MILLISECONDS))
                .as("no ack before the sync ends")
                .isNull();

        store.open.release(); // the first sync ends: it covered "first" only
        assertThat(poll(acked)).isEqualTo("first");
        assertThat(store.syncStarted.tryAcquire(10, TimeUnit.SECONDS))
                .as("a second sync began")
                .isTrue();
        assertThat(acked.poll(300, TimeUnit.MILLISECONDS))
                .as("the rest wait for the second sync")
                .isNull();

        store.open.release();
        assertThat(List.of(poll(acked), poll(acked), poll(acked)))
                .containsExactlyInAnyOrder("second", "third", "fourth");
        assertThat(failed).isEmpty();
        assertThat(store.syncs.get())
                .as("one sync for the three that came during the first")
                .isEqualTo(2);
    }

    @Test
    void aMessageReadOnAnIoLoopIsStoredAndRoutedThereAndOneFromElsewhereOnTheHistoryThread() throws Exception {
        store.open.release(1_000);
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        for (java.util.concurrent.Executor on : List.<java.util.concurrent.Executor>of(ioThread, otherThread)) {
            on.execute(() -> history.append(
                    message("where"),
                    stored -> threads.add(
                            ioThread.inEventLoop()
                                    ? "the I/O loop"
                                    : Thread.currentThread().getName()),
                    stored -> {},
                    reason -> threads.add("failed: " + reason)));
            assertThat(threads.poll(10, TimeUnit.SECONDS))
                    .isEqualTo(on == ioThread ? "the I/O loop" : "parley-history");
        }
    }

    @Test
    void aMessageIsTimedWhenStoredSoTimesFollowTheOrderOfRouting() throws Exception {
        // A resume's `at` finds the direct conversations a client has not seen by time: a message
        // read first but routed after a later one must not keep the earlier time.
        store.open.release(1_000);
        BlockingQueue<Instant> times = new LinkedBlockingQueue<>();
        Instant read = Instant.now();
        for (Instant readAt : List.of(read.plusSeconds(5), read)) {
            NewMessage message = message("timed");
            otherThread.execute(() -> history.append(
                    message.at(readAt),
                    stored -> times.add(stored.message().time()),
                    stored -> {},
                    reason -> failed.add(reason)));
        }
        Instant first = times.poll(10, TimeUnit.SECONDS);
        Instant second = times.poll(10, TimeUnit.SECONDS);
        assertThat(second).as("routed second, timed no earlier").isAfterOrEqualTo(first);
        assertThat(failed).isEmpty();
    }

    @Test
    void drainReturnsOnceEverythingBeforeItIsAcked() throws Exception {
        store.open.release(1_000);
        for (int i = 0; i < 50; i++) {
            append(i % 2 == 0 ? ioThread : otherThread, "m" + i);
        }
        ioThread.submit(() -> {}).get();
        ioThread.submit(() -> {}).get(); // behind the task that stores what the loop gathered
        otherThread.submit(() -> {}).get();
        history.drain(10_000);
        assertThat(acked).hasSize(50);
        assertThat(routed).hasSize(50);
    }

    @Test
    void closeAcksWhatWasCommittedBeforeIt() throws Exception {
        append(ioThread, "last words");
        assertThat(poll(routed)).isEqualTo("last words@1");
        store.open.release(1_000);
        history.close();
        assertThat(acked).containsExactly("last words");
        assertThat(failed).isEmpty();
    }

    @Test
    void aFailedSyncFailsTheMessagesItCoveredAndTheNextOneAcks() throws Exception {
        store.failNext = true;
        append(ioThread, "lost to the disk");
        store.open.release();
        assertThat(poll(failed)).startsWith("lost to the disk: the host could not write it to the disk");
        assertThat(acked).isEmpty();

        store.open.release();
        append(otherThread, "after");
        assertThat(poll(acked)).isEqualTo("after");
    }

    private static String poll(BlockingQueue<String> queue) throws InterruptedException {
        String next = queue.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("within 10 s").isNotNull();
        return next;
    }

    /** A real store whose every sync waits for a permit, as a sync to a hanging disk would. */
    private static final class GatedStore implements MessageStore {
        final MessageStore real;
        final Semaphore open = new Semaphore(0);
        final Semaphore syncStarted = new Semaphore(0);
        final AtomicInteger syncs = new AtomicInteger();
        volatile boolean failNext;

        GatedStore(MessageStore real) {
            this.real = real;
        }

        @Override
        public void sync() {
            syncs.incrementAndGet();
            syncStarted.release();
            open.acquireUninterruptibly();
            if (failNext) {
                failNext = false;
                throw new StoreException("the disk is full");
            }
            real.sync();
        }

        @Override
        public List<StoredMessage> append(List<NewMessage> messages) {
            return real.append(messages);
        }

        @Override
        public List<StoredMessage> before(String conversation, long beforeSeq, int limit) {
            return real.before(conversation, beforeSeq, limit);
        }

        @Override
        public List<StoredMessage> after(String conversation, long afterSeq, int limit) {
            return real.after(conversation, afterSeq, limit);
        }

        @Override
        public long latestSeq(String conversation) {
            return real.latestSeq(conversation);
        }

        @Override
        public java.util.Optional<StoredMessage> byId(String id) {
            return real.byId(id);
        }

        @Override
        public List<String> conversations(String prefix) {
            return real.conversations(prefix);
        }

        @Override
        public void setMember(String user, String room, boolean member) {
            real.setMember(user, room, member);
        }

        @Override
        public java.util.Set<String> roomsOf(String user) {
            return real.roomsOf(user);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
