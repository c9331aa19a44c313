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
        int tasks = 6;
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        long[] pulseOf = new long[tasks];
        long[] began = new long[tasks];
        long[] ended = new long[tasks];
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
        for (int i = 0; i < tasks; i++) {
            int n = i;
            pump.execute(() -> {
                ran.add(n);
                pulseOf[n] = PULSE.get();
                began[n] = System.nanoTime();
                long until = began[n] + slowNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                ended[n] = System.nanoTime();
                if (n == tasks - 1) {
                    done.countDown();
                }
            });
        }
        hold.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5);
        // Each task takes over half the budget, so the six need at least three pulses. A loaded
        // machine stretches a task past the whole budget, so which task starts a pulse is not fixed;
        // the rule is: a task shares its pulse only while the pulse is under budget, and a new pulse
        // begins only once the last one spent it (less a millisecond for the pump's own work).
        long pulseBegan = began[0];
        int pulses = 1;
        for (int n = 1; n < tasks; n++) {
            long spent = ended[n - 1] - pulseBegan;
            if (pulseOf[n] == pulseOf[n - 1]) {
                assertThat(spent)
                        .as("time spent in the pulse before task %d ran in it", n)
                        .isLessThan(FxPump.BUDGET_NANOS);
            } else {
                assertThat(spent)
                        .as("time spent in the pulse before task %d had to wait for the next", n)
                        .isGreaterThanOrEqualTo(FxPump.BUDGET_NANOS - 1_000_000);
                pulseBegan = began[n];
                pulses++;
            }
        }
        assertThat(pulses).as("pulses the six slow tasks took").isGreaterThanOrEqualTo(3);
    }
}
