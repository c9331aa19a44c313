package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.SharedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A host with much on its way to the reader (two downloads at once) refuses reads for a moment
 * (PROTOCOL §15.3, "try again in a moment"): the download reads on after a pause instead of
 * failing. A {@link ScriptedWire} refuses on cue, which a real connection does not.
 */
class DownloadWaitTest extends ScriptedHostTest {
    @Test
    void readsRefusedForAMomentAreAskedAgainAndTheFileArrivesWhole() throws Exception {
        byte[] bytes = randomBytes(6 * 256 * 1024 + 99, 8);
        String sha = sha256(bytes);
        AtomicInteger reads = new AtomicInteger();
        ScriptedWire reader = ScriptedWire.reads(eventThread, bytes, sha, 512 * 1024, length -> {});
        FileTransfers.Wire host = new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                int n = reads.incrementAndGet();
                if (n >= 3 && n <= 12) {
                    return List.of(
                            refusal(ChatEvents.FILE_READ, "read what was sent to you first; try again in a moment"));
                }
                return reader.answer(event, args);
            }
        };
        FileTransfers transfers = transfers(host);
        Path saved = dir.resolve("waited.bin");

        transfers
                .receive(
                        ScriptedWire.fileMessage(new SharedFile(sha, "waited.bin", bytes.length, null, 0, 0, false)),
                        saved)
                .done()
                .get(20, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(reads.get()).as("asked again after the refusals").isGreaterThan(12);
    }

    @Test
    void everyReadRefusedForSecondsCostsOneWaitAPauseNotOneARead() throws Exception {
        byte[] bytes = randomBytes(2 * 1024 * 1024 + 5, 10);
        String sha = sha256(bytes);
        AtomicLong firstRead = new AtomicLong();
        AtomicInteger refusals = new AtomicInteger();
        ScriptedWire reader = ScriptedWire.reads(eventThread, bytes, sha, 512 * 1024, length -> {});
        FileTransfers.Wire host = new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                firstRead.compareAndSet(0, System.nanoTime());
                // Busy for 3 s: 6 pauses of half a second, with 8 reads refused in each.
                if (System.nanoTime() - firstRead.get() < TimeUnit.SECONDS.toNanos(3)) {
                    refusals.incrementAndGet();
                    return List.of(refusal(ChatEvents.FILE_READ, "the host is busy; try again in a moment"));
                }
                return reader.answer(event, args);
            }
        };
        FileTransfers transfers = transfers(host);
        Path saved = dir.resolve("busy.bin");

        transfers
                .receive(
                        ScriptedWire.fileMessage(new SharedFile(sha, "busy.bin", bytes.length, null, 0, 0, false)),
                        saved)
                .done()
                .get(20, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(refusals.get()).as("more refusals than the waits allowed").isGreaterThan(Upload.TRANSIENT_REFUSALS);
    }

    @Test
    void aReadRefusedAmongOthersIsAskedAgainAloneAndNoAnswerIsThrownAway() throws Exception {
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 77, 9);
        String sha = sha256(bytes);
        AtomicInteger reads = new AtomicInteger();
        AtomicLong answered = new AtomicLong();
        ScriptedWire reader = ScriptedWire.reads(eventThread, bytes, sha, 512 * 1024, length -> {});
        FileTransfers.Wire host = new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                int n = reads.incrementAndGet();
                if (n == 3 || n == 6 || n == 7) { // the reads around them are answered
                    return List.of(
                            refusal(ChatEvents.FILE_READ, "read what was sent to you first; try again in a moment"));
                }
                List<Object> answer = reader.answer(event, args);
                answered.addAndGet(((byte[]) answer.get(1)).length);
                return answer;
            }
        };
        FileTransfers transfers = transfers(host);
        Path saved = dir.resolve("gaps.bin");

        transfers
                .receive(
                        ScriptedWire.fileMessage(new SharedFile(sha, "gaps.bin", bytes.length, null, 0, 0, false)),
                        saved)
                .done()
                .get(20, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(answered.get())
                .as("every byte answered once: the answers after a refused read were kept")
                .isEqualTo(bytes.length);
    }
}
