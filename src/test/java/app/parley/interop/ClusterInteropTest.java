package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.store.PostgresTarget;
import app.parley.testing.PostgresServer;
import app.parley.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mixed cluster (docs/PROTOCOL.md §19) on a real {@code redis-server}: two Parley hosts sharing
 * a real PostgreSQL store, and the tutorial's Node server running the official
 * {@code @socket.io/redis-streams-adapter} 0.3.1. Node socket.io-client peers on all three servers
 * and transports ({@code interop/cluster.mjs}) exchange room messages, broadcasts and direct
 * messages by socket id; each reaches exactly whom it names, once, in order. Then the tutorial's
 * browser page in Chromium on each server chats in the same room.
 */
class ClusterInteropTest {
    private static PostgresServer postgres;
    private RedisServer redis;
    private HostServer hostA;
    private HostServer hostB;
    private NodeProcess nodeServer;
    /** Where cluster.mjs serves the tutorial's page, whose origin every server allows. */
    private int pagePort;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void startCluster() throws Exception {
        NodeProcess.requireInstalled("@socket.io/redis-streams-adapter", "redis");
        redis = RedisServer.start();
        PostgresTarget store = postgres.freshDatabase();
        pagePort = freePort();
        String pageOrigin = "http://localhost:" + pagePort;
        HostConfig config =
                HostConfig.loopback(Set.of(pageOrigin)).withStore(store).withCluster(redis.target());
        hostA = new HostServer(config);
        hostA.start();
        hostB = new HostServer(config);
        hostB.start();
        nodeServer = NodeProcess.start(
                "tutorial-server.mjs", "0", pageOrigin, "--exit-on-stdin-close", "--redis=" + redis.url());
    }

    @AfterEach
    void stopCluster() {
        if (nodeServer != null) {
            nodeServer.close();
        }
        if (hostA != null) {
            hostA.close();
        }
        if (hostB != null) {
            hostB.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void parleyAndNodeServersShareRoomsBroadcastsAndDirectMessages() throws Exception {
        int nodePort = nodeServer.awaitListeningPort();
        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(180),
                () -> "node server:\n" + nodeServer.transcript(),
                "cluster.mjs",
                "http://127.0.0.1:" + hostA.port(),
                "http://127.0.0.1:" + hostB.port(),
                "http://127.0.0.1:" + nodePort,
                Integer.toString(pagePort));
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "joined-on-each-server",
                        "room-from-parley",
                        "room-from-node",
                        "room-from-the-other-parley",
                        "everyone-from-parley",
                        "everyone-from-node",
                        "direct-from-node-to-parley",
                        "direct-from-node-to-the-other-parley",
                        "direct-from-parley-to-the-other-parley",
                        "burst-from-parley-once-in-order",
                        "burst-from-node-once-in-order",
                        "node-sockets-in-parley-list",
                        "direct-from-parley-to-node",
                        "direct-to-a-node-socket-is-direct",
                        "a-node-socket-that-left-leaves-the-list",
                        "browsers-on-each-server");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
