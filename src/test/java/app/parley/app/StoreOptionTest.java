package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.store.PostgresMessageStore;
import app.parley.store.PostgresTarget;
import app.parley.testing.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --store postgresql://…} on the command line, and {@code parley-host --check-cluster} against a real PostgreSQL. */
class StoreOptionTest {
    static PostgresServer postgres;

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

    @Test
    void aHeadlessHostTakesAPostgresStore() {
        LaunchOptions options = LaunchOptions.parse(HostLauncher.arguments(
                "--port", "4000", "--store", "postgresql://db.example:6543/chat?user=parley&sslmode=require"));

        PostgresTarget store = options.hostConfig().store();
        assertThat(store).isEqualTo(new PostgresTarget("db.example", 6543, "chat", "parley", "require"));
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--port", "4000"))
                        .hostConfig()
                        .store())
                .as("without --store: SQLite, as before")
                .isNull();
        assertThat(LaunchOptions.USAGE).contains("--store").contains("--check-cluster");
    }

    @Test
    void aPasswordOnTheCommandLineIsRefusedWithTheWayToGiveIt() {
        for (String url :
                new String[] {"postgresql://parley:hunter2@db/chat", "postgresql://db/chat?user=parley&password=hunter2"
                }) {
            assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--store", url)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not carry a password")
                    .hasMessageContaining("PGPASSWORD")
                    .hasMessageContaining("~/.pgpass")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void otherMistakesAreSaid() {
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--store", "mysql://db/chat?user=x")))
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--store", "postgresql://db/chat")))
                .hasMessageContaining("needs a user");
        assertThatThrownBy(() -> LaunchOptions.parse(
                        HostLauncher.arguments("--store", "postgresql://db/chat?user=x&sslmode=maybe")))
                .hasMessageContaining("sslmode must be one of");
        assertThatThrownBy(() -> LaunchOptions.parse(
                        HostLauncher.arguments("--store", "postgresql://db/chat?user=x&options=-c")))
                .hasMessageContaining("understands the parameters user and sslmode");
        assertThatThrownBy(() -> LaunchOptions.parse(
                        HostLauncher.arguments("--store", "postgresql://db/chat?user=x", "--history", "h.db")))
                .hasMessageContaining("give one");
        assertThat(LaunchOptions.parse("--host", "--store", "postgresql://db/chat?user=x")
                        .store())
                .as("a window host takes it too")
                .isNotNull();
        assertThatThrownBy(
                        () -> LaunchOptions.parse("--join", "http://h:3000", "--store", "postgresql://db/chat?user=x"))
                .hasMessageContaining("--store works with --host");
    }

    @Test
    void theCheckSaysWhetherAHostCouldStartOnTheDatabase() throws Exception {
        PostgresTarget target = postgres.freshDatabase();

        Check empty = check(target);
        assertThat(empty.code).isZero();
        assertThat(empty.output)
                .contains("PostgreSQL  ok")
                .contains("no Parley tables yet")
                .contains("cluster check passed");

        PostgresMessageStore.open(target).close();
        assertThat(check(target).output).contains("(current)").contains("without TLS");

        postgres.sql(target.database(), "INSERT INTO schema_version (version) VALUES (99)");
        Check newer = check(target);
        assertThat(newer.code).isEqualTo(1);
        assertThat(newer.output)
                .contains("PostgreSQL  FAIL")
                .contains("a newer Parley")
                .contains("cluster check FAILED");

        Check nobody = check(new PostgresTarget("127.0.0.1", 1, "parley", "parley", "disable"));
        assertThat(nobody.code).isEqualTo(1);
        assertThat(nobody.output).contains("does not answer at 127.0.0.1:1");

        Check unconfigured = check(null);
        assertThat(unconfigured.code).isEqualTo(1);
        assertThat(unconfigured.output).contains("--store not given");
    }

    @Test
    void parleyHostCheckClusterExitsWithTheVerdict() throws Exception {
        PostgresTarget target = postgres.freshDatabase();
        Process check = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.parley.app.Launcher",
                        "--host",
                        "--headless",
                        "--check-cluster",
                        "--store",
                        target.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("cluster check passed");
    }

    private record Check(int code, String output) {}

    private static Check check(PostgresTarget target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ClusterCheck.run(target, null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Check(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
