package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binary from the real Node client is refused with a reason (ack or parley-error), nothing of
 * it is delivered, and the sender's connection keeps carrying text, base64 included.
 */
class BinaryRefusalInteropTest {
    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of()));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void binaryIsRefusedWithAReasonAndTheConnectionKeepsWorking(String mode) throws Exception {
        try (NodeProcess script = NodeProcess.start("binary-refusal.mjs", "http://127.0.0.1:" + port, mode)) {
            int exit = script.awaitExit(Duration.ofSeconds(60));
            assertThat(exit)
                    .as("binary-refusal.mjs %s exited %d:\n%s", mode, exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines())
                    .extracting(j -> j.getString("check"))
                    .contains(
                            "binary-send-refused-in-ack",
                            "binary-event-refused-by-parley-error",
                            "nothing-binary-delivered",
                            "text-still-flows-after-refusal",
                            "base64-round-trip");
        }
    }
}
