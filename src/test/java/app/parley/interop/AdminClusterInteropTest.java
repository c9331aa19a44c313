package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.admin.AdminAccount;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Admin UI's protocol across a cluster (docs/PROTOCOL.md §17): two Parley hosts and a Node
 * server with the official streams adapter and admin-ui on one {@code redis-server}; an admin on
 * one Parley host lists, hears of and acts on the sockets of the other two ({@code
 * admin-cluster.mjs}).
 */
class AdminClusterInteropTest {
    /** What the test started, closed last first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @AfterEach
    void stop() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    private <T extends AutoCloseable> T started(T thing) {
        started.push(thing);
        return thing;
    }

    @Test
    void anAdminOnOneHostSeesAndActsOnEveryServersSockets() throws Exception {
        NodeProcess.requireInstalled("@socket.io/redis-streams-adapter", "redis", "@socket.io/admin-ui");
        RedisServer redis = started(RedisServer.start());
        HostConfig config = HostConfig.loopback(Set.of()).withCluster(redis.target());
        AdminAccount account = new AdminAccount(AdminProtocolInteropTest.USER, AdminProtocolInteropTest.PASSWORD);
        HostServer hostA = started(new HostServer(config));
        hostA.enableAdmin(account);
        hostA.start();
        HostServer hostB = started(new HostServer(config));
        hostB.enableAdmin(account);
        hostB.start();
        NodeProcess nodeServer = started(NodeProcess.start(
                "tutorial-server.mjs",
                "0",
                "http://localhost:8080",
                "--exit-on-stdin-close",
                "--redis=" + redis.url(),
                "--admin=node-1"));
        int nodePort = nodeServer.awaitListeningPort();

        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(120),
                () -> "node server:\n" + nodeServer.transcript(),
                "admin-cluster.mjs",
                "http://127.0.0.1:" + hostA.port(),
                "http://127.0.0.1:" + hostB.port(),
                "http://127.0.0.1:" + nodePort,
                AdminProtocolInteropTest.USER,
                AdminProtocolInteropTest.PASSWORD);
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "all-sockets-lists-the-other-parley-host",
                        "all-sockets-lists-the-node-server",
                        "each-socket-listed-once",
                        "socket-connected-on-the-other-host",
                        "room-joined-on-the-other-host",
                        "server-stats-of-every-server",
                        "join-command-on-the-other-host",
                        "join-command-on-the-node-server",
                        "disconnect-command-on-the-other-host",
                        "socket-disconnected-on-the-other-host");
    }
}
