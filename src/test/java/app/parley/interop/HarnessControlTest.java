package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load scripts of {@link NodeLoadInteropTest} against the reference: the tutorial's plain
 * Node.js socket.io 4.8 server. They must pass here, so that when they fail against a Parley
 * host the fault is the host's, not the harness's (its latency proxy, its counting).
 */
class HarnessControlTest {
    private NodeProcess server;
    private String url;

    @BeforeEach
    void startReferenceServer() throws Exception {
        server = NodeProcess.start("tutorial-server.mjs", "0", "http://localhost:8080", "--exit-on-stdin-close");
        url = "http://127.0.0.1:" + server.awaitListeningPort();
    }

    @AfterEach
    void stopReferenceServer() {
        server.close();
    }

    @Test
    void slowerWebSocketPathLoopPassesAgainstTheReferenceServer() throws Exception {
        try (NodeProcess script = NodeProcess.start(
                "connect-loop.mjs", url, "20", "5000", "60000", "--latency=websocket:50", "--max-failures=3")) {
            int exit = script.awaitExit(Duration.ofSeconds(120));
            JSONObject summary = script.awaitJson(j -> j.optBoolean("summary"), Duration.ofSeconds(1), "summary line");
            System.out.println("connect-loop vs reference server: " + summary);
            assertThat(exit).as("%s\n%s", summary, script.transcript()).isZero();
            assertThat(summary.getInt("ok")).isEqualTo(20);
        }
    }

    @Test
    void pollingBurstIsCompleteAgainstTheReferenceServer() throws Exception {
        try (NodeProcess script = NodeProcess.start("polling-burst.mjs", url, "50", "200", "60000", "--no-acks")) {
            int exit = script.awaitExit(Duration.ofSeconds(120));
            JSONObject summary = script.awaitJson(j -> j.optBoolean("summary"), Duration.ofSeconds(1), "summary line");
            System.out.println("polling-burst vs reference server: " + summary);
            assertThat(exit).as("%s\n%s", summary, script.transcript()).isZero();
            assertThat(summary.getInt("delivered")).isEqualTo(49 * 200);
        }
    }
}
