package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What a real connection cannot be made to do on cue: an ack that never comes on a connection that
 * stays up, and a host that says it is busy. A {@link ScriptedWire} answers as the
 * host would (PROTOCOL §15.2), on a thread of its own as the socket's EventThread does.
 */
class UploadRecoveryTest extends ScriptedHostTest {
    private static final int CHUNK = 1000;

    private final ConcurrentLinkedQueue<SessionEvent> events = new ConcurrentLinkedQueue<>();

    /** A host as far as uploads go, with one trick it plays once at {@code trickAt}. */
    private final class ScriptedHost extends ScriptedWire {
        final ByteArrayOutputStream held = new ByteArrayOutputStream();
        final AtomicInteger offers = new AtomicInteger();
        final AtomicInteger chunkBytes = new AtomicInteger();
        /** The SHA-256s the sender named, in its offers and its completes. */
        final List<String> named = new java.util.concurrent.CopyOnWriteArrayList<>();

        final String trick;
        final long trickAt;
        boolean tricked;
        /** Acks swallowed until the next offer: a connection that stays up but carries nothing back. */
        boolean silent;

        long busyUntil;

        ScriptedHost(String trick, long trickAt) {
            super(eventThread);
            this.trick = trick;
            this.trickAt = trickAt;
        }

        @Override
        List<Object> answer(String event, List<Object> args) {
            Object answer = answerOf(event, args);
            return answer == null ? null : List.of(answer);
        }

        private Object answerOf(String event, List<Object> args) {
            switch (event) {
                case ChatEvents.FILE_OFFER -> {
                    offers.incrementAndGet();
                    silent = false;
                    Object sha = ((Map<?, ?>) args.get(0)).get("sha256");
                    if (sha instanceof String s) {
                        named.add(s);
                    } else if (trick.equals("hash in the offer")) {
                        // as Parley hosts did before the hash could come with file-complete
                        return refusal(event, "sha256 must be the file's SHA-256 as 64 lower-case hex digits");
                    }
                    return Map.of("ok", true, "upload", "u1", "have", held.size(), "chunk", CHUNK, "window", 4);
                }
                case ChatEvents.FILE_CHUNK -> {
                    long offset = ((Number) args.get(1)).longValue();
                    byte[] bytes = (byte[]) args.get(2);
                    chunkBytes.addAndGet(bytes.length);
                    boolean stillBusy = System.nanoTime() < busyUntil;
                    if (stillBusy || (!tricked && offset == trickAt && trick.equals("busy"))) {
                        // busy for a while: a client that asks again at once is refused again
                        tricked = true;
                        if (!stillBusy) {
                            busyUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                        }
                        return refusal(
                                event, "the host is busy writing files; offer the file again in a moment to go on");
                    }
                    if (offset != held.size()) {
                        return refusal(event, "expected offset " + held.size());
                    }
                    held.writeBytes(bytes);
                    if (!tricked && offset == trickAt && !trick.equals("busy")) {
                        tricked = true;
                        silent = trick.equals("silence");
                        return null; // taken, and the ack lost
                    }
                    if (silent) {
                        return null;
                    }
                    return Map.of("ok", true, "have", held.size());
                }
                case ChatEvents.FILE_COMPLETE -> {
                    if (args.size() > 1) {
                        named.add((String) args.get(1));
                    }
                    String actual = sha256(held.toByteArray());
                    if (named.isEmpty() || !named.stream().allMatch(actual::equals)) {
                        return refusal(event, "the bytes do not match the offered SHA-256");
                    }
                    return Map.of("ok", true, "id", "m1", "time", 1, "seq", 1);
                }
                default -> {
                    return Map.of("ok", true);
                }
            }
        }
    }

    private FileTransfers transfers(ScriptedHost host) {
        return transfers(host, 300, events::add);
    }

    private Path file(int size) throws Exception {
        return Files.write(dir.resolve("f.bin"), randomBytes(size, size));
    }

    @Test
    void aHostThatWantsTheHashInTheOfferGetsTheFileHashedFirst() throws Exception {
        ScriptedHost host = new ScriptedHost("hash in the offer", -1);
        Path file = file(9 * CHUNK + 3);
        FileTransfer upload = transfers(host).send(new Target.Everyone(), file, "cid-6");
        upload.done().get(10, TimeUnit.SECONDS);
        assertThat(host.held.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(host.offers.get())
                .as("refused without the hash, then offered with it")
                .isEqualTo(2);
        assertThat(host.named).containsExactly(sha256(Files.readAllBytes(file)));
    }

    @Test
    void aCancelWhileHashingForSuchAHostStopsTheHashingAndNothingIsOfferedAgain() throws Exception {
        ScriptedHost host = new ScriptedHost("hash in the offer", -1);
        Path big = dir.resolve("big.bin");
        try (var out = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            out.setLength(512L * 1024 * 1024); // sparse: costs no disk, still takes a while to hash
        }
        FileTransfer upload = transfers(host).send(new Target.Everyone(), big, "cid-3");
        waitFor(() -> host.offers.get() == 1, "the first offer");
        Thread.sleep(50); // the refusal reached it: it is hashing now
        upload.cancel();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> upload.done().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("Cancelled");
        Thread.sleep(200);
        assertThat(host.offers.get()).as("offers").isEqualTo(1);
        assertThat(host.chunkBytes.get()).as("chunk bytes").isZero();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void afterTheSessionClosedAFileFailsAtOnceInsteadOfWaitingForever() throws Exception {
        FileTransfers transfers = transfers(new ScriptedHost("none", -1));
        transfers.close();
        FileTransfer upload = transfers.send(new Target.Everyone(), file(10), "cid-4");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> upload.done().get(1, TimeUnit.SECONDS))
                .hasMessageContaining("you left the session");
    }

    @Test
    void oneLostAckIsCoveredByTheNext() throws Exception {
        ScriptedHost host = new ScriptedHost("one lost ack", 5 * CHUNK);
        Path file = file(20 * CHUNK + 7);
        FileTransfer upload = transfers(host).send(new Target.Room("r"), file, "cid-0");
        upload.done().get(10, TimeUnit.SECONDS);
        assertThat(host.held.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(host.offers.get()).isEqualTo(1);
    }

    @Test
    void acksThatStopComingCountAsADroppedConnectionAndTheUploadGoesOnFromHave() throws Exception {
        ScriptedHost host = new ScriptedHost("silence", 5 * CHUNK);
        Path file = file(20 * CHUNK + 7);
        FileTransfer upload = transfers(host).send(new Target.Room("r"), file, "cid-1");
        upload.done().get(10, TimeUnit.SECONDS);
        assertThat(host.held.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(host.offers.get()).as("offered again after the silence").isEqualTo(2);
        // resumed: at most the window that was on its way when the ack was lost went twice
        assertThat((long) host.chunkBytes.get()).isLessThanOrEqualTo(Files.size(file) + 4 * CHUNK);
        // named when completing (offered at once, not after hashing the whole file), over exactly
        // the bytes: the digest went back to what the host had before the chunks after it went again
        assertThat(host.named).containsExactly(sha256(Files.readAllBytes(file)));
    }

    @Test
    void aBusyHostIsAskedAgainAfterAMomentAndTheUploadGoesOn() throws Exception {
        ScriptedHost host = new ScriptedHost("busy", 3 * CHUNK);
        Path file = file(10 * CHUNK);
        FileTransfer upload = transfers(host).send(new Target.Everyone(), file, "cid-2");
        upload.done().get(10, TimeUnit.SECONDS);
        assertThat(host.held.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(host.offers.get()).isEqualTo(2);
        List<SessionEvent.TransferProgress> progress = new ArrayList<>();
        events.forEach(e -> {
            if (e instanceof SessionEvent.TransferProgress p) {
                progress.add(p);
            }
        });
        assertThat(progress)
                .last()
                .extracting(SessionEvent.TransferProgress::state)
                .isEqualTo(SessionEvent.TransferState.DONE);
    }
}
