package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.host.HostConfig;
import app.parley.host.HostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * An XSS corpus ({@code interop/web-xss.mjs}): hostile messages, names and room names from Node
 * clients, shown by Parley's web client in headless Chromium with its CSP bypassed; nothing may
 * run and each must show as its own text.
 */
class WebClientXssTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void hostileMessagesNamesAndRoomsShowAsTextAndNothingRuns() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        long started = System.nanoTime();
        HostSession host = null;
        try (NodeProcess script = NodeProcess.start("web-xss.mjs")) {
            host = HostSession.start(new HostConfig("127.0.0.1", 0, Set.of()));
            host.open();
            script.send(new JSONObject()
                    .put("op", "host")
                    .put("url", "http://127.0.0.1:" + host.server().port())
                    .put("serve", WebClientTest.SERVE));
            for (String check : new String[] {"messages", "names", "rooms", "nothing-ran"}) {
                JSONObject result = script.awaitEvent(check, Duration.ofSeconds(90));
                System.out.println("web-xss " + check + ": " + result);
                assertThat(result.getBoolean("ok"))
                        .as("%s: %s\n%s", check, result, script.transcript())
                        .isTrue();
            }
            assertThat(script.awaitExit(Duration.ofSeconds(60)))
                    .as(script.transcript())
                    .isZero();
            System.out.println("WebClientXssTest took "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }
}
