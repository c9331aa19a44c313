package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.time.Duration;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many real Node.js socket.io-client 4.8 connections against a Parley host: connections one
 * after another over the default transports (polling, then the upgrade), over loopback and
 * through a proxy that makes the WebSocket path slower, and a burst of messages over
 * long-polling into a room of 49 listeners ({@code interop/connect-loop.mjs},
 * {@code interop/polling-burst.mjs}).
 */
class NodeLoadInteropTest {
    private static final int SEQUENTIAL_CONNECTIONS = 100;
    private static final int LATENCY_CONNECTIONS = 50;
    private static final int BURST_CLIENTS = 50;
    private static final int BURST_MESSAGES = 200;

    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        // A burst of 200 messages from one sender is the point here, not the chat's rate limit.
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    /** Over loopback: 100 connections, each connected and answered twice within 5 s. */
    @Test
    void sequentialDefaultTransportConnectionsEachJoinWithinFiveSeconds() throws Exception {
        assertEveryConnectionJoins(SEQUENTIAL_CONNECTIONS, "150000");
    }

    /**
     * The same through a loopback proxy that delays WebSocket connections by 50 ms each way (HTTP
     * polling undelayed), as when the two paths differ on a real network: the upgrade must still
     * finish and the join-room sent after it be answered. Stops after 5 failures to stay short.
     */
    @Test
    void sequentialConnectionsWithASlowerWebSocketPathEachJoinWithinFiveSeconds() throws Exception {
        assertEveryConnectionJoins(LATENCY_CONNECTIONS, "60000", "--latency=websocket:50", "--max-failures=5");
    }

    private void assertEveryConnectionJoins(int connections, String budgetMillis, String... options) throws Exception {
        String[] args = new String[4 + options.length];
        args[0] = "http://127.0.0.1:" + port;
        args[1] = String.valueOf(connections);
        args[2] = "5000";
        args[3] = budgetMillis;
        System.arraycopy(options, 0, args, 4, options.length);
        try (NodeProcess script = NodeProcess.start("connect-loop.mjs", args)) {
            int exit = script.awaitExit(Duration.ofSeconds(200));
            JSONObject summary = script.awaitJson(j -> j.optBoolean("summary"), Duration.ofSeconds(1), "summary line");
            System.out.println("connect-loop: " + summary);
            int failed = summary.getInt("failed") + summary.getInt("notAttempted");
            assertThat(failed)
                    .as(
                            "%d of %d sequential connections (latency %s) were not answered within 5 s: %s\n%s",
                            failed, connections, summary.getString("latency"), summary, script.transcript())
                    .isZero();
            assertThat(summary.getInt("ok")).isEqualTo(connections);
            assertThat(exit).isZero();
        }
    }

    @Test
    void pollingBurstReachesEveryRoomMemberExactlyOnce() throws Exception {
        try (NodeProcess script = NodeProcess.start(
                "polling-burst.mjs",
                "http://127.0.0.1:" + port,
                String.valueOf(BURST_CLIENTS),
                String.valueOf(BURST_MESSAGES),
                "60000")) {
            int exit = script.awaitExit(Duration.ofSeconds(150));
            JSONObject summary = script.awaitJson(j -> j.optBoolean("summary"), Duration.ofSeconds(1), "summary line");
            System.out.println("polling-burst: " + summary);
            int expected = (BURST_CLIENTS - 1) * BURST_MESSAGES;
            assertThat(summary.has("error"))
                    .as("the burst could not run: %s\n%s", summary, script.transcript())
                    .isFalse();
            assertThat(summary.getInt("expected")).isEqualTo(expected);
            assertThat(summary.getInt("delivered"))
                    .as(
                            "deliveries (expected %d = %d receivers × %d messages, each exactly once): %s",
                            expected, BURST_CLIENTS - 1, BURST_MESSAGES, summary)
                    .isEqualTo(expected);
            assertThat(summary.getInt("unique"))
                    .as("distinct deliveries: %s", summary)
                    .isEqualTo(expected);
            assertThat(summary.getInt("acksOk"))
                    .as("accepted send-message acks: %s", summary)
                    .isEqualTo(BURST_MESSAGES);
            assertThat(exit).isZero();
        }
    }
}
