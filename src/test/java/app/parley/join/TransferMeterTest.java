package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TransferMeterTest {
    private final AtomicLong now = new AtomicLong();
    private final TransferMeter meter = new TransferMeter(now::get);

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void atMostFiveEventsASecond() {
        int due = 0;
        for (int i = 0; i < 1_000; i++) { // a chunk every millisecond for a second
            advance(1);
            if (meter.tick(i * 1_000L)) {
                due++;
            }
        }
        assertThat(due).isBetween(4, 5);
    }

    @Test
    void speedIsOverTheLastFewSeconds() {
        // 1 MB/s for 10 s, then 4 MB/s for 5 s: the speed says 4 MB/s, not the average
        long done = 0;
        for (int i = 0; i < 100; i++) {
            advance(100);
            meter.tick(done += 100_000);
        }
        for (int i = 0; i < 50; i++) {
            advance(100);
            meter.tick(done += 400_000);
        }
        assertThat(meter.bytesPerSecond()).isBetween(3_900_000.0, 4_100_000.0);
    }

    @Test
    void noSpeedAfterAPauseUntilBytesMoveAgain() {
        advance(100);
        meter.tick(0);
        advance(1_000);
        meter.tick(1_000_000);
        assertThat(meter.bytesPerSecond()).isPositive();
        meter.reset();
        assertThat(meter.bytesPerSecond()).isZero();
    }
}
