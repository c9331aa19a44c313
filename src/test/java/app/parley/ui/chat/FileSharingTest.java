package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostSession;
import app.parley.protocol.ChatEvents;
import app.parley.session.ConnectionState;
import app.parley.testing.RawClient;
import app.parley.ui.lines.Attachment;
import app.parley.ui.lines.ConversationLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files through the chat view model with no stage: a real host session over loopback, a real
 * socket.io-client-java peer, and a queue standing in for the FX thread, pumped by the test.
 */
class FileSharingTest {
    @TempDir
    Path dir;

    private final BlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
    private final Executor ui = uiQueue::add;
    private HostSession session;
    private ChatViewModel model;
    private RawClient peer;

    private void open(HostConfig config) throws Exception {
        session = HostSession.start(config);
        // Disk work on the caller's thread: the test pumps the UI queue, nothing else runs it.
        model = new ChatViewModel(session, ui, Runnable::run, dir.resolve("cache"));
        model.open();
        pumpUntil(() -> model.stateProperty().get() == ConnectionState.CONNECTED);
        peer = RawClient.connect(session.server().port());
        peer.awaitId();
    }

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void aSentFileShowsAsSendingThenDeliveredAndReachesThePeerByteExact() throws Exception {
        open(HostConfig.loopback(Set.of()));
        byte[] bytes = random(700_000); // three chunks
        Path file = Files.write(dir.resolve("data.bin"), bytes);

        model.sendFiles(List.of(file));
        pumpUntil(() -> fileLine("data.bin") != null);
        assertThat(fileLine("data.bin").status()).isEqualTo("sending");
        assertThat(fileLine("data.bin").attachment().sentFrom()).isEqualTo(file);

        pumpUntil(() -> "delivered".equals(fileLine("data.bin").status()));
        pumpUntil(() -> model.transfers().isEmpty());
        JSONObject meta = (JSONObject) peer.nextMessage()[1];
        assertThat(meta.getJSONObject("file").getString("sha256")).isEqualTo(sha256(bytes));
        assertThat(model.conversation().stream().filter(l -> l.attachment() != null))
                .as("shown once")
                .hasSize(1);
    }

    @Test
    void crossingOutARunningTransferStopsItAndTheLineSaysCancelled() throws Exception {
        open(HostConfig.loopback(Set.of()));
        Path file = dir.resolve("big.iso");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(90_000_000); // sparse: no disk, and still a second or more to hash and send
        }

        model.sendFiles(List.of(file));
        pumpUntil(() -> !model.transfers().isEmpty());
        model.cancelTransfer(model.transfers().get(0));

        pumpUntil(() -> "cancelled".equals(fileLine("big.iso").status()));
        pumpUntil(() -> model.transfers().isEmpty());
        assertThat(peer.nextMessage(500)).as("nothing delivered").isNull();
    }

    @Test
    void aFileOverTheHostsLimitFailsWithItsReasonUntilDismissed() throws Exception {
        open(HostConfig.loopback(Set.of()).withFiles(HostConfig.FileLimits.DEFAULT.withMaxFileBytes(1_000)));
        Path file = Files.write(dir.resolve("big.bin"), random(5_000));

        model.sendFiles(List.of(file));
        pumpUntil(() -> fileLine("big.bin") != null
                && "failed".equals(fileLine("big.bin").status()));
        pumpUntil(() -> !model.transfers().isEmpty()
                && model.transfers().get(0).detailProperty().get().contains("1.0 kB"));
        TransferRow row = model.transfers().get(0);
        assertThat(row.detailProperty().get()).contains("5.0 kB");

        model.cancelTransfer(row);
        assertThat(model.transfers()).isEmpty();
    }

    @Test
    void aPeersFileIsSavedOnlyWhereAskedAndAPeersPictureIsFetchedIntoTheCacheByItsHash() throws Exception {
        open(HostConfig.loopback(Set.of()));
        byte[] notes = random(300_000);
        byte[] picture = PngWriter.write(64, 48, new int[64 * 48]);
        upload("notes.bin", notes);
        upload("../../picture.png", picture);
        pumpUntil(() -> fileLine("notes.bin") != null && fileLine("picture.png") != null);
        assertThat(Files.exists(dir.resolve("cache")))
                .as("nothing fetched before it shows")
                .isFalse();

        Attachment card = fileLine("notes.bin").attachment();
        assertThat(card.showsAsPicture()).isFalse();
        Path chosen = dir.resolve("chosen").resolve("my notes.bin");
        Files.createDirectories(chosen.getParent());
        model.saveFile(card, chosen);
        pumpUntil(() -> Files.exists(chosen) && model.transfers().isEmpty());
        assertThat(Files.readAllBytes(chosen)).isEqualTo(notes);

        Attachment shown = fileLine("picture.png").attachment();
        assertThat(shown.showsAsPicture()).isTrue();
        PictureSlot slot = model.picture(shown);
        pumpUntil(() -> slot.fileProperty().get() != null
                || !slot.problemProperty().get().isEmpty());
        assertThat(slot.problemProperty().get()).isEmpty();
        assertThat(slot.fileProperty().get())
                .isEqualTo(dir.resolve("cache").resolve("pictures").resolve(sha256(picture)));
        assertThat(Files.readAllBytes(slot.fileProperty().get())).isEqualTo(picture);
        assertThat(model.picture(shown)).as("fetched once").isSameAs(slot);
    }

    private ConversationLine fileLine(String name) {
        return model.conversation().stream()
                .filter(l -> l.attachment() != null && l.attachment().name().equals(name))
                .reduce((a, b) -> b)
                .orElse(null);
    }

    private void upload(String name, byte[] bytes) throws Exception {
        JSONObject offer = new JSONObject()
                .put("cid", UUID.randomUUID().toString())
                .put("name", name)
                .put("size", bytes.length)
                .put("sha256", sha256(bytes))
                .put("room", "");
        JSONObject offered = (JSONObject) peer.request(ChatEvents.FILE_OFFER, offer)[0];
        assertThat(offered.getBoolean("ok")).as(offered.toString()).isTrue();
        String upload = offered.getString("upload");
        int chunk = offered.getInt("chunk");
        for (int at = 0; at < bytes.length; at += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk));
            JSONObject ack = (JSONObject) peer.request(ChatEvents.FILE_CHUNK, upload, at, part)[0];
            assertThat(ack.getBoolean("ok")).as(ack.toString()).isTrue();
        }
        JSONObject done = (JSONObject) peer.request(ChatEvents.FILE_COMPLETE, upload)[0];
        assertThat(done.getBoolean("ok")).as(done.toString()).isTrue();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void pumpUntil(BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; lines: " + model.conversation() + ", transfers: "
                        + model.transfers().stream()
                                .map(r -> r.title() + ": " + r.detailProperty().get())
                                .toList());
            }
            Runnable work = uiQueue.poll(50, TimeUnit.MILLISECONDS);
            if (work != null) {
                work.run();
            }
        }
    }
}
