package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.session.FileTransfer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Uploads on long-polling share one limit per connection ({@link FileTransfers.Wire#mostOnItsWay}):
 * one that found no room goes on when another makes some, also after the connection upgraded to
 * WebSocket meanwhile (every window starts on polling). A {@link ScriptedWire} host records how
 * much was on its way at once and switches the transport on cue.
 */
class SharedUploadLimitTest extends ScriptedHostTest {
    private static final int KIB = 1024;

    /**
     * Acks every chunk; answers the second offer 150 ms late and holds the first chunk's ack until
     * then, so the first upload has all the room on its way and the second none; with {@code
     * upgrade} it says WebSocket from that ack on.
     */
    private final class Host extends ScriptedWire {
        final Map<String, ByteArrayOutputStream> held = new ConcurrentHashMap<>();
        final AtomicInteger offers = new AtomicInteger();
        final AtomicInteger offersSeen = new AtomicInteger();
        final AtomicInteger chunks = new AtomicInteger();
        final AtomicLong unacked = new AtomicLong();
        final AtomicLong mostUnackedOnPolling = new AtomicLong();
        final boolean upgrade;
        volatile boolean polling = true;
        volatile boolean secondOffered;

        Host(boolean upgrade) {
            super(eventThread);
            this.upgrade = upgrade;
        }

        @Override
        public long mostOnItsWay() {
            return polling ? FileTransfers.MOST_ON_ITS_WAY_POLLING : Long.MAX_VALUE;
        }

        @Override
        public void emit(
                String event,
                List<Object> args,
                java.util.function.BooleanSupplier current,
                java.util.function.Consumer<List<Object>> onAck) {
            if (event.equals(ChatEvents.FILE_OFFER) && offersSeen.incrementAndGet() == 2) {
                // answered on the timer's thread: the event thread may be holding the first chunk
                timers.schedule(() -> onAck.accept(answer(event, args)), 150, TimeUnit.MILLISECONDS);
                return;
            }
            if (event.equals(ChatEvents.FILE_CHUNK) && polling) {
                // counted as it leaves the client, as a request would carry it
                long now = unacked.addAndGet(((byte[]) args.get(2)).length);
                mostUnackedOnPolling.accumulateAndGet(now, Math::max);
            }
            super.emit(event, args, current, onAck);
        }

        @Override
        List<Object> answer(String event, List<Object> args) {
            switch (event) {
                case ChatEvents.FILE_OFFER -> {
                    String id = "u" + offers.incrementAndGet();
                    if (offers.get() == 2) {
                        secondOffered = true;
                    }
                    held.put(id, new ByteArrayOutputStream());
                    return List.of(Map.of("ok", true, "upload", id, "have", 0, "chunk", 512 * KIB, "window", 8));
                }
                case ChatEvents.FILE_CHUNK -> {
                    ByteArrayOutputStream into = held.get((String) args.get(0));
                    byte[] bytes = (byte[]) args.get(2);
                    if (chunks.incrementAndGet() == 1) {
                        // held until the second upload has been answered and found no room: the
                        // first one has all of it on its way
                        for (int i = 0; i < 100 && !secondOffered; i++) {
                            sleep(20);
                        }
                        sleep(100);
                        polling = !upgrade;
                    }
                    into.writeBytes(bytes);
                    unacked.addAndGet(-bytes.length);
                    return List.of(Map.of("ok", true, "have", into.size()));
                }
                case ChatEvents.FILE_COMPLETE -> {
                    return List.of(Map.of("ok", true, "id", "m" + args.get(0), "time", 1, "seq", 1));
                }
                default -> {
                    return List.of(Map.of("ok", true));
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path file(String name, int size) throws Exception {
        return Files.write(dir.resolve(name), randomBytes(size, size));
    }

    private void sendTwo(Host host) throws Exception {
        FileTransfers transfers = transfers(host);
        Path first = file("one.bin", 3 * 1024 * KIB + 1);
        Path second = file("two.bin", 2 * 1024 * KIB + 3);
        FileTransfer one = transfers.send(new Target.Everyone(), first, "cid-one");
        FileTransfer two = transfers.send(new Target.Everyone(), second, "cid-two");
        one.done().get(15, TimeUnit.SECONDS);
        two.done().get(15, TimeUnit.SECONDS);
        List<byte[]> sent = List.of(Files.readAllBytes(first), Files.readAllBytes(second));
        assertThat(host.held.values().stream().map(ByteArrayOutputStream::toByteArray))
                .usingElementComparator((a, b) -> java.util.Arrays.equals(a, b) ? 0 : 1)
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void onLongPollingTwoUploadsTogetherKeepWithinTheLimitAndBothArrive() throws Exception {
        Host host = new Host(false);
        sendTwo(host);
        assertThat(host.mostUnackedOnPolling.get()).isLessThanOrEqualTo(FileTransfers.MOST_ON_ITS_WAY_POLLING);
    }

    @Test
    void anUploadThatWaitedForRoomGoesOnAfterTheUpgradeToWebSocket() throws Exception {
        Host host = new Host(true);
        sendTwo(host);
    }
}
