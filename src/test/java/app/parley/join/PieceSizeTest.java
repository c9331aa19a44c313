package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.SharedFile;
import app.parley.protocol.Target;
import app.parley.session.FileTransfer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chunks and reads grow as a link holds and start small again after a cut ({@code
 * ActiveTransfer.piece}): what a cut wastes stays within an eighth of what got through since the
 * last one, and what is on its way stays within what the link moves in a second. A {@link ScriptedWire} host records the size of every chunk and read, which a real
 * connection does not show; {@code FileTransferTest} checks the waste through a link that is cut.
 */
class PieceSizeTest extends ScriptedHostTest {
    private static final int KIB = 1024;
    private static final int MOST = 512 * KIB;
    private static final int MIB = 1024 * KIB;

    @Test
    void theRuleKeepsWhatIsOnItsWayWithinAnEighthOfWhatGotThrough() {
        assertThat(ActiveTransfer.piece(0, 8, MOST)).isEqualTo(256 * KIB);
        assertThat(ActiveTransfer.piece(16L * MIB, 8, MOST)).isEqualTo(256 * KIB);
        assertThat(ActiveTransfer.piece(24L * MIB, 8, MOST)).isEqualTo(384 * KIB);
        assertThat(ActiveTransfer.piece(32L * MIB, 8, MOST)).isEqualTo(MOST);
        assertThat(ActiveTransfer.piece(1L << 40, 8, MOST)).isEqualTo(MOST);
        assertThat(ActiveTransfer.piece(1L << 40, 8, 100 * KIB))
                .as("never more than the other end takes")
                .isEqualTo(100 * KIB);
        for (long through = 0; through < 64L * MIB; through += 3 * MIB + 7) {
            int piece = ActiveTransfer.piece(through, 8, MOST);
            assertThat(8L * piece).isLessThanOrEqualTo(Math.max(2L * MIB, through / 8));
            assertThat(piece % (64 * KIB)).as("whole pages").isZero();
        }
    }

    @Test
    void whatIsOnItsWayStartsSmallGrowsAndStaysWithinASecondOfTheLink() {
        Duration timeout = Duration.ofSeconds(20);
        assertThat(ActiveTransfer.piece(0, 8, MOST, 0, Duration.ZERO, timeout))
                .as("a start: 256 KiB in all")
                .isEqualTo(32 * KIB);
        assertThat(ActiveTransfer.piece(256 * KIB, 8, MOST, 0, Duration.ZERO, timeout))
                .as("twice what came back")
                .isEqualTo(64 * KIB);
        assertThat(ActiveTransfer.piece(MIB, 8, MOST, 0, Duration.ZERO, timeout))
                .isEqualTo(256 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 0, Duration.ZERO, timeout))
                .isEqualTo(MOST);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 1e9, Duration.ZERO, timeout))
                .as("a fast link is not held back")
                .isEqualTo(MOST);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 400_000, Duration.ZERO, timeout))
                .as("400 KB/s: 400 KB on its way, in whole pages")
                .isEqualTo(48 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 400_000, Duration.ZERO, Duration.ofSeconds(1)))
                .as("and within half an ack timeout of 1 s")
                .isEqualTo(24 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 10_000, Duration.ZERO, timeout))
                .as("never under 16 KiB")
                .isEqualTo(16 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 100_000, Duration.ofMillis(1500), timeout))
                .as("a round trip of 1.5 s: what the link moves in two of them, or it could not keep up")
                .isEqualTo(36 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, MOST, 100_000, Duration.ofSeconds(10), timeout))
                .as("a round trip that is mostly the queue of other transfers: 3 s at most")
                .isEqualTo(36 * KIB);
        assertThat(ActiveTransfer.piece(64L * MIB, 8, 8 * KIB, 10_000, Duration.ZERO, timeout))
                .as("nor over what the other end takes")
                .isEqualTo(8 * KIB);
    }

    @Test
    void anUploadsChunksGrowOnALinkThatHoldsAndStartSmallAgainAfterACut() throws Exception {
        byte[] bytes = randomBytes(48 * MIB + 123, 5);
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        List<Integer> chunks = new CopyOnWriteArrayList<>();
        List<Integer> offers = new CopyOnWriteArrayList<>();
        long cutAt = 40L * MIB;
        ScriptedWire host = new ScriptedWire(eventThread) {
            final ByteArrayOutputStream held = new ByteArrayOutputStream();
            boolean cut;

            @Override
            List<Object> answer(String event, List<Object> args) {
                switch (event) {
                    case ChatEvents.FILE_OFFER -> {
                        offers.add(chunks.size());
                        return List.of(
                                Map.of("ok", true, "upload", "u1", "have", held.size(), "chunk", MOST, "window", 8));
                    }
                    case ChatEvents.FILE_CHUNK -> {
                        long offset = ((Number) args.get(1)).longValue();
                        byte[] chunk = (byte[]) args.get(2);
                        if (offset != held.size()) {
                            return List.of(refusal(event, "expected offset " + held.size()));
                        }
                        chunks.add(chunk.length);
                        held.writeBytes(chunk);
                        if (!cut && held.size() >= cutAt) {
                            cut = true;
                            // the connection dropped: the client re-offers once the ack is late
                            return null;
                        }
                        return cut && offers.size() < 2 ? null : List.of(Map.of("ok", true, "have", held.size()));
                    }
                    case ChatEvents.FILE_COMPLETE -> {
                        return Arrays.equals(held.toByteArray(), bytes)
                                ? List.of(Map.of("ok", true, "id", "m1", "time", 1, "seq", 1))
                                : List.of(refusal(event, "the bytes do not match"));
                    }
                    default -> {
                        return List.of(Map.of("ok", true));
                    }
                }
            }
        };

        FileTransfer upload = transfers(host, 1000, e -> {}).send(new Target.Everyone(), file, "cid-pieces");
        upload.done().get(30, TimeUnit.SECONDS);

        assertThat(offers).as("offered, then again after the cut").hasSize(2);
        List<Integer> before = chunks.subList(0, offers.get(1));
        List<Integer> after = chunks.subList(offers.get(1), chunks.size());
        assertThat(before.subList(0, 8)).as("a start sends 8 chunks of 32 KiB").containsOnly(32 * KIB);
        assertThat(before).as("grown to the host's most on a link that held").contains(MOST);
        assertThat(chunks).allMatch(c -> c <= MOST);
        assertThat(after.subList(0, 8)).as("after the cut, small again").containsOnly(32 * KIB);
    }

    @Test
    void aDownloadsReadsGrowTheSameWay() throws Exception {
        byte[] bytes = randomBytes(48 * MIB + 45, 6);
        String sha = sha256(bytes);
        List<Integer> asked = new CopyOnWriteArrayList<>();
        ScriptedWire host = ScriptedWire.reads(eventThread, bytes, sha, MOST, asked::add);
        ChatMessage message = ScriptedWire.fileMessage(new SharedFile(sha, "big.bin", bytes.length, null, 0, 0, false));
        Path saved = dir.resolve("saved.bin");

        transfers(host, 1000, e -> {}).receive(message, saved).done().get(30, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(asked.subList(0, 8)).containsOnly(32 * KIB);
        assertThat(asked).contains(MOST).allMatch(n -> n <= MOST);
    }
}
