package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.host.HostConfig;
import app.parley.host.HostSession;
import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * A real browser in the mix: the tutorial's page in Debian's headless Chromium (driven by
 * playwright-core from {@code interop/browser-interop.mjs}), a Node.js socket.io-client, a
 * Parley host session and a Parley client all in one room; and the same page from an origin the
 * host does not allow, refused.
 */
class BrowserInteropTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "mixed";

    @Test
    void browserNodeAndParleyShareARoomAndAForeignOriginIsRefused() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("BrowserInteropTest skipped: " + CHROMIUM + " is absent (apt-get install chromium)");
        }
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        Path screenshots = Path.of(System.getProperty("basedir", "."), "target", "interop");
        Files.createDirectories(screenshots);

        HostSession host = null;
        ClientConnection parley = null;
        try (NodeProcess script = NodeProcess.start("browser-interop.mjs", screenshots.toString())) {
            JSONObject origins = script.awaitEvent("origins", WAIT);
            String allowed = origins.getString("allowed");
            String refused = origins.getString("refused");

            host = HostSession.start(new HostConfig("127.0.0.1", 0, Set.of(allowed)));
            SessionLog hostLog = new SessionLog("host session");
            host.addListener(hostLog);
            host.open();
            String hostId = hostLog.awaitConnected(WAIT);
            int port = host.server().port();
            SessionLog parleyLog = new SessionLog("parley client");
            parley = new ClientConnection(
                    URI.create("http://127.0.0.1:" + port),
                    ClientConnection.Options.builder().withoutReconnect().build());
            parley.addListener(parleyLog);
            parley.open();
            String parleyId = parleyLog.awaitConnected(WAIT);
            assertThat(host.joinRoom(ROOM).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("Joined " + ROOM);
            assertThat(parley.joinRoom(ROOM).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("Joined " + ROOM);

            script.send(new JSONObject().put("op", "host").put("url", "http://127.0.0.1:" + port));
            JSONObject ready = script.awaitEvent("ready", Duration.ofSeconds(90));
            String browserId = ready.getString("browserId");
            String nodeId = ready.getString("nodeId");

            String fromHost = "hello from the host";
            String fromParley = "hello from the parley client";
            host.send(new Target.Room(ROOM), fromHost).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            parley.send(new Target.Room(ROOM), fromParley).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            script.send(new JSONObject()
                    .put("op", "send")
                    .put("expect", new JSONArray(List.of(fromHost, fromParley)))
                    .put("from", new JSONObject().put(fromHost, hostId).put(fromParley, parleyId)));

            // Parley's two sessions each see the other three, with the sender's id.
            assertRoomMessage(hostLog.awaitMessage("hello from the browser", WAIT), browserId);
            assertRoomMessage(hostLog.awaitMessage("hello from node", WAIT), nodeId);
            assertRoomMessage(hostLog.awaitMessage(fromParley, WAIT), parleyId);
            assertRoomMessage(parleyLog.awaitMessage("hello from the browser", WAIT), browserId);
            assertRoomMessage(parleyLog.awaitMessage("hello from node", WAIT), nodeId);
            assertRoomMessage(parleyLog.awaitMessage(fromHost, WAIT), hostId);

            // The browser and Node each saw the other three.
            JSONObject mixed = script.awaitEvent("mixed-room", Duration.ofSeconds(60));
            System.out.println("browser-interop mixed-room: " + mixed);
            assertThat(mixed.getBoolean("ok"))
                    .as("mixed room: %s\n%s", mixed, script.transcript())
                    .isTrue();

            // The page from another origin is refused, and the host says so.
            JSONObject refusal = script.awaitEvent("refused-origin", Duration.ofSeconds(60));
            System.out.println("browser-interop refused-origin: " + refusal);
            assertThat(refusal.getBoolean("ok"))
                    .as("refused origin: %s\n%s", refusal, script.transcript())
                    .isTrue();
            hostLog.await(
                    SessionEvent.Notice.class, n -> n.text().contains(refused), WAIT, "notice refusing " + refused);
            assertThat(hostLog.events())
                    .filteredOn(SessionEvent.Notice.class::isInstance)
                    .noneMatch(n -> ((SessionEvent.Notice) n).text().contains(allowed));

            assertThat(script.awaitExit(Duration.ofSeconds(60)))
                    .as(script.transcript())
                    .isZero();
        } finally {
            if (parley != null) {
                parley.close();
            }
            if (host != null) {
                host.close();
            }
        }
    }

    private static void assertRoomMessage(ChatMessage message, String from) {
        assertThat(message.from()).isEqualTo(from);
        assertThat(message.kind()).isEqualTo(MessageKind.ROOM);
        assertThat(message.room()).isEqualTo(ROOM);
    }
}
