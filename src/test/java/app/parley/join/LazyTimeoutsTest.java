package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LazyTimeoutsTest {
    private final AtomicInteger threadsStarted = new AtomicInteger();
    private final LazyTimeouts timeouts = new LazyTimeouts(r -> {
        threadsStarted.incrementAndGet();
        Thread t = new Thread(r, "lazy-timeouts-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        timeouts.shutdownNow();
    }

    @Test
    void aTimeoutRunsOnceAfterItsDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        long started = System.nanoTime();
        long[] ranAfter = new long[1];
        ScheduledFuture<?> timeout = timeouts.schedule(
                () -> {
                    ranAfter[0] = System.nanoTime() - started;
                    runs.incrementAndGet();
                    ran.countDown();
                },
                80,
                TimeUnit.MILLISECONDS);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranAfter[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        Thread.sleep(100);
        assertThat(runs).hasValue(1);
        assertThat(timeout.isDone()).isTrue();
        assertThat(timeouts.waiting()).isZero();
        assertThat(timeouts.armed()).isZero();
    }

    @Test
    void aTimeoutPushedBackThousandsOfTimesKeepsOneLookArmedAndOnlyTheLastRuns() throws Exception {
        AtomicInteger stale = new AtomicInteger();
        CountDownLatch lastRan = new CountDownLatch(1);
        ScheduledFuture<?> current = timeouts.schedule(stale::incrementAndGet, 300, TimeUnit.MILLISECONDS);
        // As engine.io-client does on every packet: cancel the timer, start a new one.
        for (int i = 0; i < 5_000; i++) {
            current.cancel(false);
            current = timeouts.schedule(stale::incrementAndGet, 300, TimeUnit.MILLISECONDS);
            assertThat(timeouts.waiting()).isEqualTo(1);
            assertThat(timeouts.armed()).isEqualTo(1);
        }
        current.cancel(false);
        timeouts.schedule(lastRan::countDown, 300, TimeUnit.MILLISECONDS);

        assertThat(lastRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stale).as("cancelled timeouts never run").hasValue(0);
        assertThat(threadsStarted).hasValue(1);
    }

    @Test
    void anEarlierDeadlineIsNotHeldBackByTheArmedOne() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        CountDownLatch soon = new CountDownLatch(1);
        timeouts.schedule(late::countDown, 60, TimeUnit.SECONDS);
        long started = System.nanoTime();
        timeouts.schedule(soon::countDown, 20, TimeUnit.MILLISECONDS);

        assertThat(soon.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(late.getCount()).isEqualTo(1);
        assertThat(timeouts.waiting()).isEqualTo(1);
        assertThat(timeouts.armed()).as("re-armed for the one left").isEqualTo(1);
    }

    @Test
    void timeoutsDueTogetherAllRunAndAResultIsReturned() throws Exception {
        CountDownLatch all = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            timeouts.schedule(all::countDown, 30, TimeUnit.MILLISECONDS);
        }
        ScheduledFuture<String> answer = timeouts.schedule(() -> "done", 30, TimeUnit.MILLISECONDS);

        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void shutdownDropsWhatIsWaitingAndRefusesMore() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        timeouts.schedule(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);

        timeouts.shutdown();

        assertThat(timeouts.isShutdown()).isTrue();
        assertThat(timeouts.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(runs).hasValue(0);
        assertThatThrownBy(() -> timeouts.schedule(runs::incrementAndGet, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
