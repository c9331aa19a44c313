package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A binary attachment is part of the event that announced it, so the packet budget counts one of
 * them, not two; and one of 64 KiB or more (a file's chunk) costs nothing, so an upload over a
 * fast link is never cut as a flood, while small attachments count as any packet does. Each case
 * has a budget of 30 packets, refilled at 1 a second.
 */
class AttachmentRateTest {
    private HostServer host;
    private RawClient client;

    @BeforeEach
    void connect() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withLimits(new EngineLimits(100, 10, 30, 1)));
        int port = host.start();
        client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), null, null);
        client.socket().connect();
        client.awaitId();
    }

    @AfterEach
    void close() {
        client.close();
        host.close();
    }

    @Test
    void eventsWithAttachmentsCountOncePerEvent() throws Exception {
        // CONNECT and a few pings aside, 20 events with one attachment each fit a burst of 30;
        // counted with their attachments they would be 40, and the session would be closed.
        assertAllAnswered(20, new byte[] {1, 2, 3});
    }

    @Test
    void bulkAttachmentsAreNotCountedAtAll() throws Exception {
        // 100 chunks of 64 KiB in a budget of 30: a fast link's upload is not a flood.
        assertAllAnswered(100, new byte[64 * 1024]);
    }

    @Test
    void smallAttachmentsStillCount() throws Exception {
        byte[] chunk = new byte[64 * 1024 - 1];
        int answered = 0;
        boolean cut = false;
        for (int i = 0; i < 60 && !cut; i++) {
            CompletableFuture<Object[]> ack = new CompletableFuture<>();
            client.socket().emit(ChatEvents.FILE_CHUNK, new Object[] {"no-such-upload", 0, chunk}, ack::complete);
            try {
                ack.get(2, TimeUnit.SECONDS);
                answered++;
            } catch (TimeoutException e) {
                cut = true; // the host closed the session as a flood: no answer comes
            }
        }
        assertThat(cut).as("cut as a flood").isTrue();
        assertThat(answered).isBetween(20, 31);
    }

    @Test
    void readsAnsweredWithBulkSlicesAreNotCounted() throws Exception {
        // 100 reads of 64 KiB in a budget of 30: a download over a fast link is not a flood.
        String id = uploaded(256 * 1024);
        for (int i = 0; i < 100; i++) {
            Object[] answer = client.request(
                    ChatEvents.FILE_READ, new JSONObject(Map.of("id", id, "offset", 0, "length", 64 * 1024)));
            assertThat(answer[0].toString()).as("read %d", i).contains("\"ok\":true");
            assertThat((byte[]) answer[1]).hasSize(64 * 1024);
        }
    }

    @Test
    void readsAnsweredSmallStillCount() throws Exception {
        String id = uploaded(256 * 1024);
        int answered = 0;
        boolean cut = false;
        for (int i = 0; i < 60 && !cut; i++) {
            CompletableFuture<Object[]> ack = new CompletableFuture<>();
            client.socket()
                    .emit(
                            ChatEvents.FILE_READ,
                            new Object[] {new JSONObject(Map.of("id", id, "offset", 0, "length", 64 * 1024 - 1))},
                            ack::complete);
            try {
                ack.get(2, TimeUnit.SECONDS);
                answered++;
            } catch (TimeoutException e) {
                cut = true;
            }
        }
        assertThat(cut).as("cut as a flood").isTrue();
        assertThat(answered).isBetween(15, 31);
    }

    /** A file of {@code size} random bytes sent to everyone in one chunk: its message id. */
    private String uploaded(int size) throws Exception {
        byte[] bytes = new byte[size];
        new java.util.Random(7).nextBytes(bytes);
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        JSONObject offer =
                new JSONObject(Map.of("cid", "rate-file", "name", "f.bin", "size", size, "sha256", sha, "room", ""));
        String upload = ((JSONObject) client.request(ChatEvents.FILE_OFFER, offer)[0]).getString("upload");
        client.request(ChatEvents.FILE_CHUNK, upload, 0, bytes);
        JSONObject done = (JSONObject) client.request(ChatEvents.FILE_COMPLETE, upload)[0];
        assertThat(done.optBoolean("ok")).as("%s", done).isTrue();
        return done.getString("id");
    }

    /** Sends {@code count} chunks of an upload that does not exist; each is answered, and the session stays. */
    private void assertAllAnswered(int count, byte[] chunk) throws Exception {
        for (int i = 0; i < count; i++) {
            Object[] answer = client.request(ChatEvents.FILE_CHUNK, "no-such-upload", 0, chunk);
            assertThat(answer[0].toString()).as("chunk %d", i).contains("no such upload");
        }
        assertThat(client.socket().connected()).isTrue();
    }
}
