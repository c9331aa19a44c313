package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.host.HostConfig;
import app.parley.host.HostSession;
import app.parley.join.ClientConnection;
import app.parley.protocol.Target;
import app.parley.session.Identity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Parley's web client in headless Chromium ({@code interop/web-client.mjs}): two browser guests
 * (one phone-sized), a Node.js socket.io-client and a desktop joiner in one room; a direct
 * message, the replay after a dropped connection, an outbox that outlives a reload, and a host
 * with a password.
 */
class WebClientTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ROOM = "lobby";
    /** How the pages reach the host: "host" (it serves them), or "proxy" (interop/web-page-server.mjs in front of it). */
    static final String SERVE = "host";

    @Test
    void guestsDesktopAndNodeChatAndNothingIsLostOrDoubled() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        long started = System.nanoTime();
        HostSession host = null;
        HostSession locked = null;
        ClientConnection desktop = null;
        try (NodeProcess script = NodeProcess.start("web-client.mjs")) {
            host = HostSession.start(new HostConfig("127.0.0.1", 0, Set.of()));
            host.open();
            String hostUrl = "http://127.0.0.1:" + host.server().port();
            SessionLog desktopLog = new SessionLog("desktop joiner");
            desktop = new ClientConnection(
                    URI.create(hostUrl),
                    ClientConnection.Options.builder()
                            .identity(new Identity("Desk", "desktop-joiner-user-key-0001"))
                            .build());
            desktop.addListener(desktopLog);
            desktop.open();
            desktopLog.awaitConnected(WAIT);
            assertThat(desktop.joinRoom(ROOM).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("Joined " + ROOM);

            script.send(new JSONObject().put("op", "host").put("url", hostUrl).put("serve", SERVE));
            System.out.println("web-client ready: " + script.awaitEvent("ready", Duration.ofSeconds(90)));
            String fromDesktop = "hello from the desktop";
            desktop.send(new Target.Room(ROOM), fromDesktop).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            script.send(new JSONObject().put("op", "desktop-sent").put("text", fromDesktop));

            for (String check : new String[] {
                "mixed-room",
                "direct",
                "typing-and-history",
                "failed-and-retry",
                "replay",
                "reload-outbox",
                "rename",
                "lan-address",
                "leave-and-limits"
            }) {
                JSONObject result = script.awaitEvent(check, Duration.ofSeconds(60));
                System.out.println("web-client " + check + ": " + result);
                assertThat(result.getBoolean("ok"))
                        .as("%s: %s\n%s", check, result, script.transcript())
                        .isTrue();
            }
            // The desktop joiner got everything said in the room once, and not the direct message.
            JSONObject sent = script.awaitEvent("sent", WAIT);
            for (Object text : sent.getJSONArray("texts")) {
                desktopLog.awaitMessage((String) text, WAIT);
                assertThat(desktopLog.messages((String) text))
                        .as("desktop got \"%s\"", text)
                        .hasSize(1);
            }
            String direct = script.awaitEvent("direct", WAIT).getString("text");
            assertThat(desktopLog.messages(direct)).isEmpty();

            locked = HostSession.start(new HostConfig("127.0.0.1", 0, Set.of(), "s3cret"));
            locked.open();
            script.send(new JSONObject()
                    .put("op", "password-host")
                    .put("url", "http://127.0.0.1:" + locked.server().port())
                    .put("password", "s3cret")
                    .put("serve", SERVE));
            JSONObject password = script.awaitEvent("password", Duration.ofSeconds(60));
            System.out.println("web-client password: " + password);
            assertThat(password.getBoolean("ok"))
                    .as("password: %s\n%s", password, script.transcript())
                    .isTrue();
            assertThat(script.awaitExit(Duration.ofSeconds(60)))
                    .as(script.transcript())
                    .isZero();
            System.out.println("WebClientTest took "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } finally {
            if (desktop != null) {
                desktop.close();
            }
            if (locked != null) {
                locked.close();
            }
            if (host != null) {
                host.close();
            }
        }
    }
}
