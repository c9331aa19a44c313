package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Socket.IO connection state recovery (docs/PROTOCOL.md §16) with the real Node socket.io-client
 * 4.8, run by {@code interop/recovery.mjs} on each transport setup: a transport closed under a
 * client, messages to its room meanwhile, and the client back recovered with the same id and each
 * missed message once, in order; with no event received before; and fresh past the window.
 */
class RecoveryInteropTest {
    /** Short, so the expiry check takes seconds, not Node's two minutes. */
    private static final Duration WINDOW = Duration.ofSeconds(3);

    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        // The burst check sends hundreds of messages in a second: past the default chat rate.
        host = new HostServer(HostConfig.loopback(Set.of())
                .withRecoveryWindow(WINDOW)
                .withChatRate(new HostConfig.ChatRate(100_000, 100_000)));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void nodeClientRecoversItsSession(String mode) throws Exception {
        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(120),
                () -> "",
                "recovery.mjs",
                "http://127.0.0.1:" + port,
                mode,
                Long.toString(WINDOW.toMillis()));
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "offset-on-events",
                        "recovered-flag",
                        "same-id",
                        "missed-once-in-order",
                        "own-message-not-replayed",
                        "room-kept",
                        "name-and-presence-kept",
                        "recovered-without-offset",
                        "missed-without-offset",
                        "fresh-after-window",
                        "nothing-replayed-after-window",
                        "burst-recovered",
                        "burst-each-once-in-order",
                        "bystander-unaffected");
    }
}
