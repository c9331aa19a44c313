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
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * A host with much on its way to the reader (two downloads at once) refuses reads for a moment
 * (PROTOCOL §15.3, "try again in a moment"): the download reads on after a pause instead of
 * failing. A {@link ScriptedWire} refuses on cue, which a real connection does not.
 */
class DownloadWaitTest extends ScriptedHostTest {
    private static final String BUSY = "read what was sent to you first; try again in a moment";

    /** Reads the host was asked for, refused or not. */
    private final AtomicInteger asks = new AtomicInteger();
    /** Bytes the host answered with, in all. */
    private final AtomicLong answered = new AtomicLong();

    @Test
    void readsRefusedForAMomentAreAskedAgainAndTheFileArrivesWhole() throws Exception {
        byte[] bytes = randomBytes(6 * 256 * 1024 + 99, 8);

        download(bytes, n -> n >= 3 && n <= 12, BUSY);

        assertThat(asks.get()).as("asked again after the refusals").isGreaterThan(12);
    }

    @Test
    void everyReadRefusedForSecondsCostsOneWaitAPauseNotOneARead() throws Exception {
        byte[] bytes = randomBytes(2 * 1024 * 1024 + 5, 10);
        AtomicLong firstRead = new AtomicLong();
        AtomicInteger refusals = new AtomicInteger();

        // Busy for 3 s: 6 pauses of half a second, with 8 reads refused in each.
        download(
                bytes,
                n -> {
                    firstRead.compareAndSet(0, System.nanoTime());
                    boolean busy = System.nanoTime() - firstRead.get() < TimeUnit.SECONDS.toNanos(3);
                    if (busy) {
                        refusals.incrementAndGet();
                    }
                    return busy;
                },
                "the host is busy; try again in a moment");

        assertThat(refusals.get()).as("more refusals than the waits allowed").isGreaterThan(Upload.TRANSIENT_REFUSALS);
    }

    @Test
    void aReadRefusedAmongOthersIsAskedAgainAloneAndNoAnswerIsThrownAway() throws Exception {
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 77, 9);

        download(bytes, n -> n == 3 || n == 6 || n == 7, BUSY); // the reads around them are answered

        assertThat(answered.get())
                .as("every byte answered once: the answers after a refused read were kept")
                .isEqualTo(bytes.length);
    }

    /**
     * Downloads {@code bytes} from a host that refuses the {@code n}th read (from 1) with
     * {@code reason} where {@code refuse} says so and answers the others, and checks they arrive whole.
     */
    private void download(byte[] bytes, IntPredicate refuse, String reason) throws Exception {
        String sha = sha256(bytes);
        ScriptedWire reader = ScriptedWire.reads(eventThread, bytes, sha, 512 * 1024, length -> {});
        FileTransfers.Wire host = new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                if (refuse.test(asks.incrementAndGet())) {
                    return List.of(refusal(ChatEvents.FILE_READ, reason));
                }
                List<Object> answer = reader.answer(event, args);
                answered.addAndGet(((byte[]) answer.get(1)).length);
                return answer;
            }
        };
        Path saved = dir.resolve("waited.bin");

        transfers(host)
                .receive(
                        ScriptedWire.fileMessage(new SharedFile(sha, "waited.bin", bytes.length, null, 0, 0, false)),
                        saved)
                .done()
                .get(20, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    }
}
