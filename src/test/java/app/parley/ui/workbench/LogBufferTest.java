package app.parley.ui.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.workbench.LogEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log's way to the screen, without a stage: a queued executor stands in for the FX pump, so
 * the test sees how many hops a flood costs, the bound, and what a pause holds.
 */
class LogBufferTest {
    private final List<Runnable> posted = new ArrayList<>();
    private final List<List<LogEntry>> seen = new ArrayList<>();
    private final LogBuffer buffer = new LogBuffer(posted::add, seen::add);

    private void runPosted() {
        while (!posted.isEmpty()) {
            posted.remove(0).run();
        }
    }

    @Test
    void aFloodIsOneHopAndOneListChange() {
        int[] changes = {0};
        buffer.entries().addListener((javafx.collections.ListChangeListener<LogEntry>) c -> changes[0]++);
        for (int i = 1; i <= 5_000; i++) {
            buffer.arrive(entry(i));
        }
        assertThat(posted).hasSize(1);
        runPosted();
        assertThat(buffer.entries()).hasSize(5_000);
        assertThat(changes[0]).isEqualTo(1);
        assertThat(seen).hasSize(1);
    }

    @Test
    void theLogKeepsTheNewestEntriesOnly() {
        for (int i = 1; i <= LogBuffer.MAX_ENTRIES + 2_500; i++) {
            buffer.arrive(entry(i));
            if (i % 3_000 == 0) {
                runPosted();
            }
        }
        runPosted();
        assertThat(buffer.entries()).hasSize(LogBuffer.MAX_ENTRIES);
        assertThat(buffer.entries().get(0).seq()).isEqualTo(2_501);
        assertThat(buffer.entries().get(LogBuffer.MAX_ENTRIES - 1).seq()).isEqualTo(LogBuffer.MAX_ENTRIES + 2_500);
    }

    @Test
    void bigBinaryIsDroppedSoonerThanTheCountSays() {
        byte[] mebibyte = new byte[1024 * 1024];
        for (int i = 1; i <= 100; i++) {
            buffer.arrive(new LogEntry(
                    i,
                    Instant.now(),
                    LogEntry.Direction.IN,
                    LogEntry.Kind.EVENT,
                    "/",
                    "blob",
                    List.of(mebibyte),
                    -1,
                    -1,
                    ""));
            if (i % 30 == 0) {
                runPosted();
            }
        }
        runPosted();
        assertThat(buffer.entries()).hasSize(64);
        assertThat(buffer.entries().get(63).seq()).isEqualTo(100);
    }

    @Test
    void pausedTheListStandsStillAndCountsWhatItHolds() {
        buffer.arrive(entry(1));
        runPosted();
        buffer.pausedProperty().set(true);
        for (int i = 2; i <= 4; i++) {
            buffer.arrive(entry(i));
        }
        runPosted();
        assertThat(buffer.entries()).extracting(LogEntry::seq).containsExactly(1L);
        assertThat(buffer.heldCountProperty().get()).isEqualTo(3);
        assertThat(buffer.everything()).extracting(LogEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(seen).hasSize(2); // the status still follows while paused

        buffer.pausedProperty().set(false);
        assertThat(buffer.entries()).extracting(LogEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(buffer.heldCountProperty().get()).isZero();
    }

    private static LogEntry entry(long seq) {
        return new LogEntry(
                seq, Instant.now(), LogEntry.Direction.IN, LogEntry.Kind.EVENT, "/", "e", List.of(seq), -1, -1, "");
    }
}
