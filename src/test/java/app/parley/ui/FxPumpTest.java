package app.parley.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.ui.chat.ChatViewModel;
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
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
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
            assertThat(ran.stream().filter(s -> s.startsWith(prefix)).map(s -> Integer.parseInt(s.substring(prefix.length()))))
                    .isSorted().hasSize(each);
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
            pulses.add(System.nanoTime());
            if (pulses.size() < 3) {
                pump.execute(again[0]);
            } else {
                done.countDown();
            }
        };
        pump.execute(again[0]);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // Pulses come about 16 ms apart; the same pulse would be microseconds.
        assertThat(pulses.get(1) - pulses.get(0)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(pulses.get(2) - pulses.get(1)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(5));
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
                at.add(System.nanoTime());
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
        assertThat(at.get(2) - at.get(1)).isGreaterThan(slowNanos + TimeUnit.MILLISECONDS.toNanos(2));
    }
}
