package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.SharedFile;
import app.parley.session.FileTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that answers reads with less than they ask for, its most being smaller than the client's
 * 256 KiB (PROTOCOL §15.3 lets a host answer "up to" what is asked): the download asks for that
 * much from then on instead of starting its window over after every answer. A {@link ScriptedWire}
 * answers as such a host would.
 */
class DownloadFromASmallerHostTest {
    private static final int MOST = 100 * 1024;

    @TempDir
    Path dir;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
        eventThread.shutdownNow();
    }

    @Test
    void readsShrinkToWhatTheHostAnswersAndTheFileArrivesWhole() throws Exception {
        byte[] bytes = new byte[20 * MOST + 123];
        new Random(11).nextBytes(bytes);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        AtomicInteger reads = new AtomicInteger();
        FileTransfers.Wire host = new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                if (!event.equals(ChatEvents.FILE_READ)) {
                    return null;
                }
                reads.incrementAndGet();
                Map<?, ?> read = (Map<?, ?>) args.get(0);
                int offset = ((Number) read.get("offset")).intValue();
                int length = Math.min(MOST, ((Number) read.get("length")).intValue());
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("ok", true);
                meta.put("offset", offset);
                meta.put("size", bytes.length);
                meta.put("sha256", sha);
                return List.of(meta, Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + length)));
            }
        };
        FileTransfers transfers =
                new FileTransfers(host, timers, () -> true, id -> null, id -> {}, e -> {}, "scripted");
        SharedFile file = new SharedFile(sha, "old.bin", bytes.length, null, 0, 0, false);
        ChatMessage message = new ChatMessage(
                "📎 small.bin",
                "ann",
                MessageKind.EVERYONE,
                null,
                Instant.now(),
                "m1",
                "Ann",
                1,
                false,
                "*",
                "u:ann",
                "c1",
                file);
        Path saved = dir.resolve("old.bin");

        FileTransfer download = transfers.receive(message, saved);
        download.done().get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        // 21 answers of at most 100 KiB, plus the first window's 8 asked for 256 KiB each; starting
        // the window over after every short answer would ask about 8 times as many.
        assertThat(reads.get()).as("reads asked").isLessThanOrEqualTo(21 + 8);
    }
}
