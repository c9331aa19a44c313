package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.cluster.ClusterTarget;
import app.parley.store.PostgresTarget;
import app.parley.testing.PostgresServer;
import app.parley.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cluster}: what it takes, what it refuses, and what {@code --check-cluster} says of a real Redis. */
class ClusterOptionTest {
    private static final String STORE = "postgresql://db.example/chat?user=parley";

    @Test
    void aHeadlessHostWithAStoreTakesACluster() {
        LaunchOptions options =
                LaunchOptions.parse(HostLauncher.arguments("--store", STORE, "--cluster", "redis://10.0.0.5:6380/2"));
        ClusterTarget cluster = options.headlessHostConfig().cluster();
        assertThat(cluster.host()).isEqualTo("10.0.0.5");
        assertThat(cluster.port()).isEqualTo(6380);
        assertThat(cluster.database()).isEqualTo(2);
        assertThat(cluster.tls()).isFalse();
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--port", "4000"))
                        .headlessHostConfig()
                        .cluster())
                .as("without --cluster, a host on its own")
                .isNull();
        assertThat(LaunchOptions.USAGE).contains("--cluster redis://").contains("REDISCLI_AUTH");
    }

    @Test
    void thePasswordComesFromTheEnvironmentAndNeverShows() {
        ClusterTarget target = ClusterTarget.parse("rediss://chat@redis.example", Map.of("REDISCLI_AUTH", "pw!"));
        assertThat(target.tls()).isTrue();
        assertThat(target.user()).isEqualTo("chat");
        assertThat(target.password()).isEqualTo("pw!");
        assertThat(target.port()).isEqualTo(6379);
        assertThat(target.toString())
                .isEqualTo("rediss://chat@redis.example:6379")
                .doesNotContain("pw!");
        assertThatThrownBy(() -> ClusterTarget.parse("redis://chat:pw@redis.example", Map.of()))
                .hasMessageContaining("no password in the URL")
                .hasMessageContaining("REDISCLI_AUTH");
    }

    @Test
    void mistakesAreSaid() {
        assertThatThrownBy(() -> ClusterTarget.parse("http://redis.example", Map.of()))
                .hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> ClusterTarget.parse("redis://redis.example/zero", Map.of()))
                .hasMessageContaining("database number");
        assertThatThrownBy(() -> ClusterTarget.parse("redis:///0", Map.of())).hasMessageContaining("host");
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--cluster", "redis://r")))
                .hasMessageContaining("--cluster needs --store");
        assertThat(LaunchOptions.parse("--host", "--store", STORE, "--cluster", "redis://r")
                        .cluster())
                .as("a window host of the cluster")
                .isNotNull();
        assertThatThrownBy(() -> LaunchOptions.parse("--workbench", "--store", STORE, "--cluster", "redis://r"))
                .hasMessageContaining("works with --host");
    }

    @Test
    void theCheckSaysWhetherRedisAnswersAndTakesTheCredentials() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
                RedisServer open = RedisServer.start();
                RedisServer locked = RedisServer.start("s3cret")) {
            PostgresTarget store = postgres.freshDatabase();
            Check ok = check(store, open.target());
            assertThat(ok.code).as(ok.output).isZero();
            assertThat(ok.output)
                    .contains("Redis       ok    redis://127.0.0.1:" + open.port() + ": Redis 7")
                    .contains("stream socket.io holds 0 entries")
                    .contains("cluster check passed");

            assertThat(check(store, locked.target()).code)
                    .as("with REDISCLI_AUTH")
                    .isZero();
            ClusterTarget noPassword = new ClusterTarget("127.0.0.1", locked.port(), 0, false, null, null);
            Check refused = check(store, noPassword);
            assertThat(refused.code).isEqualTo(1);
            assertThat(refused.output)
                    .contains("Redis       FAIL")
                    .contains("NOAUTH")
                    .contains("cluster check FAILED");

            Check nobody = check(store, new ClusterTarget("127.0.0.1", 1, 0, false, null, null));
            assertThat(nobody.code).isEqualTo(1);
            assertThat(nobody.output).contains("Redis       FAIL  redis://127.0.0.1:1");
        }
    }

    @Test
    void aTlsRedisIsVerifiedAgainstTheAuthoritiesCacertNames(@TempDir Path folder) throws Exception {
        Path other = folder.resolve("other.crt");
        RedisServer.selfSigned(folder.resolve("other.key"), other);
        ClusterTarget parsed = ClusterTarget.parse("rediss://redis.example?cacert=" + other, Map.of());
        assertThat(parsed.caCertificate()).isEqualTo(other.toAbsolutePath());
        assertThat(parsed.toString()).isEqualTo("rediss://redis.example:6379?cacert=" + other.toAbsolutePath());
        assertThatThrownBy(() -> ClusterTarget.parse("redis://redis.example?cacert=" + other, Map.of()))
                .hasMessageContaining("cacert is for TLS");
        assertThatThrownBy(
                        () -> ClusterTarget.parse("rediss://redis.example?cacert=" + folder.resolve("none"), Map.of()))
                .hasMessageContaining("is not a readable file");
        assertThatThrownBy(() -> ClusterTarget.parse("rediss://redis.example?verify=no", Map.of()))
                .hasMessageContaining("cacert=PATH");

        try (PostgresServer postgres = PostgresServer.start();
                RedisServer tls = RedisServer.startTls()) {
            PostgresTarget store = postgres.freshDatabase();
            Check ok = check(store, tls.target());
            assertThat(ok.code).as(ok.output).isZero();
            assertThat(ok.output)
                    .contains("Redis       ok    rediss://127.0.0.1:" + tls.port())
                    .contains("over TLS");

            Check javasOwn = check(store, new ClusterTarget("127.0.0.1", tls.port(), 0, true, null, null));
            assertThat(javasOwn.code)
                    .as("a self-signed certificate Java does not trust")
                    .isEqualTo(1);
            assertThat(javasOwn.output).contains("Redis       FAIL").containsIgnoringCase("certificat");

            Check wrongAuthority = check(store, new ClusterTarget("127.0.0.1", tls.port(), 0, true, null, null, other));
            assertThat(wrongAuthority.code)
                    .as("another authority's certificate")
                    .isEqualTo(1);
            assertThat(wrongAuthority.output).contains("Redis       FAIL").containsIgnoringCase("certificat");

            Check plain = check(store, new ClusterTarget("127.0.0.1", tls.port(), 0, false, null, null));
            assertThat(plain.code).as("plain text to a TLS port").isEqualTo(1);
        }
    }

    private record Check(int code, String output) {}

    private static Check check(PostgresTarget store, ClusterTarget cluster) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ClusterCheck.run(store, cluster, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Check(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
