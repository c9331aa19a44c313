package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The page the host serves, in Debian's headless Chromium ({@code interop/served-page.mjs}):
 * under the host's own Content-Security-Policy, the socket.io bundle it serves connects back over
 * polling, WebSocket and the upgrade (same-origin, with only the seed's page on the allow-list),
 * while an inline script and an image from elsewhere are refused.
 */
class ServedPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theServedBundleConnectsUnderThePolicyThatRefusesInlineScript() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        try (HostServer host = new HostServer(HostConfig.loopback(Set.of(HostConfig.DEFAULT_ORIGIN)))) {
            int port = host.start();
            try (NodeProcess script = NodeProcess.start("served-page.mjs", "http://127.0.0.1:" + port + "/")) {
                assertThat(script.awaitEvent("done", Duration.ofSeconds(60)).getBoolean("ok"))
                        .as(script.transcript())
                        .isTrue();
                assertThat(script.awaitExit(Duration.ofSeconds(10)))
                        .as(script.transcript())
                        .isZero();
            }
        }
    }
}
