package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.SharedFile;
import app.parley.session.FileTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * A host that answers reads with less than they ask for, its most being smaller than the client's
 * 256 KiB (PROTOCOL §15.3 lets a host answer "up to" what is asked): the download asks for that
 * much from then on instead of starting its window over after every answer. A {@link ScriptedWire}
 * answers as such a host would.
 */
class DownloadFromASmallerHostTest extends ScriptedHostTest {
    private static final int MOST = 100 * 1024;

    @Test
    void readsShrinkToWhatTheHostAnswersAndTheFileArrivesWhole() throws Exception {
        byte[] bytes = randomBytes(60 * MOST + 123, 11);
        String sha = sha256(bytes);
        List<Integer> asked = new CopyOnWriteArrayList<>();
        FileTransfers.Wire host = ScriptedWire.reads(eventThread, bytes, sha, MOST, asked::add);
        FileTransfers transfers = transfers(host);
        SharedFile file = new SharedFile(sha, "old.bin", bytes.length, null, 0, 0, false);
        ChatMessage message = ScriptedWire.fileMessage(file);
        Path saved = dir.resolve("old.bin");

        FileTransfer download = transfers.receive(message, saved);
        download.done().get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        // Reads grow past the host's most once and are answered short, and reading starts over
        // (small again, the reads on their way being stale). From then on they ask for what the
        // host answers; without that they would grow past it and start over again and again.
        int tooBig = indexOf(asked, 0, n -> n > MOST);
        assertThat(tooBig).as("reads grew past the host's most: " + asked).isNotNegative();
        int over = indexOf(asked, tooBig, n -> n < MOST);
        assertThat(over).as("reading started over: " + asked).isPositive();
        assertThat(asked.subList(over, asked.size()))
                .as("reads after it started over, of " + asked)
                .allMatch(n -> n <= MOST);
    }

    private static int indexOf(List<Integer> values, int from, IntPredicate which) {
        for (int i = from; i < values.size(); i++) {
            if (which.test(values.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
