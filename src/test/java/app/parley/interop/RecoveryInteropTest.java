package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.testing.PostgresServer;
import app.parley.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Socket.IO connection state recovery (docs/PROTOCOL.md §16) with the real Node socket.io-client
 * 4.8, run by {@code interop/recovery.mjs} on each transport setup: a transport closed under a
 * client, messages to its room meanwhile, and the client back recovered with the same id and each
 * missed message once, in order; with no event received before; fresh past the window; and a burst
 * through a drop and its recovery, each message once. On one host with SQLite, one host on
 * PostgreSQL, and a cluster of two on PostgreSQL and Redis with the sender on the other host.
 */
class RecoveryInteropTest {
    /** Short, so the expiry check takes seconds, not Node's two minutes. */
    private static final Duration WINDOW = Duration.ofSeconds(3);

    private static PostgresServer postgres;
    private RedisServer redis;
    private HostServer host;
    private HostServer other;

    /** The burst check sends hundreds of messages in a second: past the default chat rate. */
    private static HostConfig config() {
        return HostConfig.loopback(Set.of())
                .withRecoveryWindow(WINDOW)
                .withChatRate(new HostConfig.ChatRate(100_000, 100_000));
    }

    private static synchronized PostgresServer postgres() throws Exception {
        if (postgres == null) {
            postgres = PostgresServer.start();
        }
        return postgres;
    }

    @AfterEach
    void stopHosts() {
        if (host != null) {
            host.close();
        }
        if (other != null) {
            other.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void nodeClientRecoversItsSession(String mode) throws Exception {
        host = new HostServer(config());
        int port = host.start();
        runRecovery(mode, port, port);
    }

    @Test
    void onPostgres() throws Exception {
        host = new HostServer(config().withStore(postgres().freshDatabase()));
        int port = host.start();
        runRecovery("default", port, port);
    }

    /** The sender on the other host: what the client missed came through Redis, in LiveOrder. */
    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void acrossAClusterOnPostgresAndRedis(String mode) throws Exception {
        redis = RedisServer.start();
        HostConfig cluster = config().withStore(postgres().freshDatabase()).withCluster(redis.target());
        host = new HostServer(cluster);
        other = new HostServer(cluster);
        runRecovery(mode, host.start(), other.start());
    }

    /**
     * The client's reconnect reaches the other host (a proxy switched under it): it recovers there,
     * and back on the first (interop/recovery-across.mjs, docs/PROTOCOL.md §16.1).
     */
    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void onAnotherHostOfTheCluster(String mode) throws Exception {
        redis = RedisServer.start();
        HostConfig cluster = config().withStore(postgres().freshDatabase()).withCluster(redis.target());
        host = new HostServer(cluster);
        other = new HostServer(cluster);
        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(120),
                () -> "",
                "recovery-across.mjs",
                Integer.toString(host.start()),
                Integer.toString(other.start()),
                mode);
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "recovered-on-the-other-host",
                        "missed-once-in-order-across",
                        "everyone-across",
                        "direct-while-away-across",
                        "nothing-twice-across",
                        "room-and-name-kept-across",
                        "recovered-back-on-the-first-host",
                        "burst-recovered-across",
                        "burst-each-once-in-order-across");
    }

    /**
     * The host a client is on stops: it hands its sessions to the cluster before it leaves, and the
     * client, reconnecting to the other host, recovers there (docs/PROTOCOL.md §16.1).
     */
    @Test
    void whenItsHostStops() throws Exception {
        redis = RedisServer.start();
        HostConfig cluster = config().withStore(postgres().freshDatabase()).withCluster(redis.target());
        host = new HostServer(cluster);
        other = new HostServer(cluster);
        int a = host.start();
        int b = other.start();
        try (NodeProcess node = NodeProcess.start(
                "recovery-across.mjs", Integer.toString(a), Integer.toString(b), "websocket", "stop")) {
            node.awaitEvent("stop-a", Duration.ofSeconds(60));
            host.close();
            int exit = node.awaitExit(Duration.ofSeconds(60));
            List<JSONObject> checks =
                    node.jsonLines().stream().filter(j -> j.has("check")).toList();
            assertThat(exit).as(node.transcript()).isZero();
            assertThat(checks)
                    .extracting(j -> j.getString("check"))
                    .contains("recovered-after-its-host-stopped", "missed-while-its-host-stopped");
        }
    }

    private static void runRecovery(String mode, int port, int bystanderPort) throws Exception {
        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(120),
                () -> "",
                "recovery.mjs",
                "http://127.0.0.1:" + port,
                mode,
                Long.toString(WINDOW.toMillis()),
                "http://127.0.0.1:" + bystanderPort);
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "offset-on-events",
                        "recovered-flag",
                        "same-id",
                        "missed-once-in-order",
                        "own-message-not-replayed",
                        "direct-while-away",
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
