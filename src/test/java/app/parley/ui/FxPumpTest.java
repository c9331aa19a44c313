package app.parley.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/**
 * The one hop onto the FX thread: everything posted runs there, in the order posted, at the next
 * pulse; a pulse never runs longer than its budget or work posted during it, and the rest follows
 * on later pulses.
 */
class FxPumpTest {
    /**
     * Counts pulses. Started before any pump, it runs first in every pulse, so work can note which
     * pulse it ran in: a loaded machine makes pulses late and close together, so time cannot tell.
     */
    private static final java.util.concurrent.atomic.AtomicLong PULSE = new java.util.concurrent.atomic.AtomicLong();

    private static final javafx.animation.AnimationTimer COUNTER = new javafx.animation.AnimationTimer() {
        @Override
        public void handle(long now) {
            PULSE.incrementAndGet();
        }
    };

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        CountDownLatch started = new CountDownLatch(1);
        Platform.runLater(() -> {
            COUNTER.start();
            started.countDown();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopCounting() {
        Platform.runLater(COUNTER::stop);
    }

    @Test
    void everythingPostedFromManyThreadsRunsOnTheFxThreadInOrderPerThread() throws Exception {
        FxPump pump = new FxPump();
        int threads = 4;
        int each = 5_000;
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(threads * each);
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int poster = t;
            posters.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    pump.execute(() -> {
                        assertThat(Platform.isFxApplicationThread()).isTrue();
                        ran.add(poster + ":" + n);
                        done.countDown();
                    });
                }
            }));
        }
        posters.forEach(Thread::start);
        assertThat(done.await(30, TimeUnit.SECONDS)).as("all posted work ran").isTrue();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            assertThat(ran.stream()
                            .filter(s -> s.startsWith(prefix))
                            .map(s -> Integer.parseInt(s.substring(prefix.length()))))
                    .isSorted()
                    .hasSize(each);
        }
    }

    @Test
    void workPostedDuringAPulseWaitsForTheNextOne() throws Exception {
        FxPump pump = new FxPump();
        List<Long> pulses = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        // A drain that leaves a backlog posts itself again, as ChatViewModel's does.
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            pulses.add(PULSE.get());
            if (pulses.size() < 3) {
                pump.execute(again[0]);
            } else {
                done.countDown();
            }
        };
        pump.execute(again[0]);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pulses.get(1)).as("pulse of the second run").isGreaterThan(pulses.get(0));
        assertThat(pulses.get(2)).as("pulse of the third run").isGreaterThan(pulses.get(1));
    }

    @Test
    void aPulseStopsAtItsBudgetAndTheRestFollowsInOrder() throws Exception {
        FxPump pump = new FxPump();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<Long> at = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        long slowNanos = FxPump.BUDGET_NANOS / 2 + 1_000_000;
        CountDownLatch hold = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                hold.await(); // keeps the FX thread until all is posted, so one pulse finds it all
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 6; i++) {
            int n = i;
            pump.execute(() -> {
                ran.add(n);
                at.add(PULSE.get());
                long until = System.nanoTime() + slowNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (n == 5) {
                    done.countDown();
                }
            });
        }
        hold.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5);
        // Two slow tasks spend the budget: the third waits for the next pulse (and so on).
        assertThat(at.get(1)).as("the second runs in the first one's pulse").isEqualTo(at.get(0));
        assertThat(at.get(2)).as("the third waits for the next pulse").isGreaterThan(at.get(1));
    }
}
