package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A polling socket's POST may still be read on one I/O thread while its disconnect runs on
 * another: a {@code send-message} then comes from a socket the host has already forgotten. Were it
 * stored under a stand-in user, the client's retry (same client id, from its next connection,
 * under its real user) would be stored and delivered a second time.
 */
class SendFromAGoneSocketTest {
    private static final String BOB = "gone-socket-key-of-bob-0123456789";

    private HostServer host;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (host != null) {
            host.close();
        }
    }

    private RawClient connected(int port, Map<String, Object> auth) throws Exception {
        RawClient client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), auth, null);
        clients.add(client);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    @Test
    void aMessageFromASocketAlreadyForgottenIsNotStoredSoItsRetryArrivesOnce() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        int port = host.start();
        RawClient cat = connected(port, null);
        cat.request(ChatEvents.JOIN_ROOM, "ops");
        RawClient bob = connected(port, Map.of("user", BOB));
        JSONObject options = new JSONObject(Map.of("cid", "bob-1"));

        // The disconnect has run (on another thread) between the engine reading the packet and the
        // chat handling it: the race itself cannot be had on demand, so forget Bob as it does.
        host.guests().remove(UUID.fromString(bob.awaitId()));
        bob.socket().emit(ChatEvents.SEND_MESSAGE, "hello", "ops", options);
        // Bob's client never hears back (its socket is gone) and sends it again from its next one.
        RawClient bobAgain = connected(port, Map.of("user", BOB));
        assertThat(bobAgain.request(ChatEvents.SEND_MESSAGE, "hello", "ops", options)[0].toString())
                .contains("\"ok\":true");

        assertThat(cat.nextMessage()).as("Cat gets it").isNotNull();
        assertThat(cat.nextMessage(1_000)).as("and only once").isNull();
    }

    @Test
    void aNameAskedForByASocketAlreadyForgottenIsNotHeldForever() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()));
        int port = host.start();
        RawClient bob = connected(port, Map.of("user", BOB));
        String bobId = bob.awaitId();

        host.guests().remove(UUID.fromString(bobId)); // as the disconnect running meanwhile does
        bob.socket().emit(ChatEvents.SET_NAME, "Zed");
        // Nothing of Bob's answers any more (that is the point), so give the host a moment to
        // handle the set-name; without the guard it holds "Zed" from then on.
        Thread.sleep(500);
        bob.close();

        RawClient ann = connected(port, Map.of("user", "another-key-of-ann-0123456789abcd"));
        assertThat(ann.request(ChatEvents.SET_NAME, "Zed")[0].toString())
                .as("the name is free for the next person")
                .doesNotContain("taken");
    }

    @Test
    void aFileCompletedByASocketForgottenMeanwhileIsPostedOnceFromTheRetry() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        int port = host.start();
        RawClient cat = connected(port, null);
        RawClient bob = connected(port, Map.of("user", BOB));
        byte[] bytes = "the whole file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        JSONObject offer = new JSONObject(
                Map.of("cid", "bob-file", "name", "f.txt", "size", bytes.length, "sha256", sha, "room", ""));
        String upload = ((JSONObject) bob.request(ChatEvents.FILE_OFFER, offer)[0]).getString("upload");
        assertThat(bob.request(ChatEvents.FILE_CHUNK, upload, 0, bytes)[0].toString())
                .contains("\"have\":" + bytes.length);

        // The complete is dispatched while Bob is known, and checked on the files thread; his
        // disconnect runs in between (held here, as the race cannot be had on demand).
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        host.filesThread().run(null, null, "hold", () -> {
            try {
                hold.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bob.socket().emit(ChatEvents.FILE_COMPLETE, upload);
        Thread.sleep(300); // dispatched and queued behind the hold
        host.guests().remove(UUID.fromString(bob.awaitId()));
        hold.countDown();

        RawClient bobAgain = connected(port, Map.of("user", BOB));
        JSONObject again = (JSONObject) bobAgain.request(ChatEvents.FILE_OFFER, offer)[0];
        assertThat(again.getLong("have")).as("the host has it all").isEqualTo(bytes.length);
        assertThat(bobAgain.request(ChatEvents.FILE_COMPLETE, again.getString("upload"))[0].toString())
                .contains("\"ok\":true");

        assertThat(cat.nextMessage()).as("Cat gets it").isNotNull();
        assertThat(cat.nextMessage(1_000)).as("and only once").isNull();
    }
}
