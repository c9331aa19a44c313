package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.json.JSONArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Outbox}'s file, written on its own thread: what is on disk after close is the last state. */
class OutboxTest {
    private static Outbox.Entry entry(int i) {
        return new Outbox.Entry(
                "c-" + i, i % 2 == 0 ? "" : "#design", i % 3 == 0 ? "u:bob" : null, "message " + i, 1_000L + i);
    }

    @Test
    void theFileHoldsTheLastStateAfterClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("outbox").resolve("ann.json");
        Outbox outbox = new Outbox(file);
        IntStream.range(0, 200).forEach(i -> outbox.add(entry(i)));
        IntStream.range(0, 200).filter(i -> i % 4 != 0).forEach(i -> outbox.remove("c-" + i));
        List<Outbox.Entry> left = outbox.pending();

        outbox.close();

        JSONArray onDisk = new JSONArray(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(onDisk.length()).isEqualTo(50);
        assertThat(IntStream.range(0, onDisk.length())
                        .mapToObj(i -> onDisk.getJSONObject(i).getString("cid")))
                .containsExactlyElementsOf(left.stream().map(Outbox.Entry::cid).toList());
        assertThat(new Outbox(file).pending())
                .as("a restart reads back exactly what was left")
                .isEqualTo(left);
        assertThat(Files.exists(file.resolveSibling("ann.json.tmp"))).isFalse();
    }

    @Test
    void aChangeAfterCloseStillReachesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("outbox.json");
        Outbox outbox = new Outbox(file);
        outbox.add(entry(1));
        outbox.close();

        outbox.remove("c-1");

        assertThat(new JSONArray(Files.readString(file, StandardCharsets.UTF_8)).length())
                .isZero();
    }
}
