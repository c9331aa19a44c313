package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.SharedFile;
import app.parley.session.FileTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        byte[] bytes = new byte[20 * MOST + 123];
        new Random(11).nextBytes(bytes);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        AtomicInteger reads = new AtomicInteger();
        FileTransfers.Wire host = ScriptedWire.reads(eventThread, bytes, sha, MOST, length -> reads.incrementAndGet());
        FileTransfers transfers = transfers(host);
        SharedFile file = new SharedFile(sha, "old.bin", bytes.length, null, 0, 0, false);
        ChatMessage message = ScriptedWire.fileMessage(file);
        Path saved = dir.resolve("old.bin");

        FileTransfer download = transfers.receive(message, saved);
        download.done().get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        // 21 answers of at most 100 KiB, plus the first window's 8 asked for 256 KiB each; starting
        // the window over after every short answer would ask about 8 times as many.
        assertThat(reads.get()).as("reads asked").isLessThanOrEqualTo(21 + 8);
    }
}
