package app.parley.testing;

import app.parley.store.PostgresTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server of the test's own: {@code initdb} in a temporary folder, listening on
 * a free loopback port (no Unix socket), removed on {@link #close}. PostgreSQL refuses to run as
 * root, so when the JVM is root the server runs as the {@code postgres} user ({@code runuser}).
 * Start one per test class (it takes seconds) and take a {@link #freshDatabase} per test.
 *
 * <p>Roles: {@value #TRUSTED} logs in from 127.0.0.1 without a password; {@value #WITH_PASSWORD}
 * needs {@value #PASSWORD} (SCRAM). Without PostgreSQL installed the test is skipped, unless
 * {@code CI} is set, where it fails: CI installs Debian's {@code postgresql}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String TRUSTED = "parley_trusted";
    public static final String WITH_PASSWORD = "parley";
    public static final String PASSWORD = "s3cret:with\\odd chars";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;
    private final Thread cleanup;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
        this.cleanup = new Thread(this::stopQuietly, "postgres-test-cleanup");
    }

    /** Makes and starts a server; skips the test when PostgreSQL is not installed (outside CI). */
    public static PostgresServer start() throws Exception {
        Path bin = findBin();
        if (bin == null) {
            String why = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the PATH)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why + "; .ci/run installs Debian's postgresql");
            }
            Assumptions.abort(why);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("parley-pg-");
        if (root) {
            var postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
        Runtime.getRuntime().addShutdownHook(server.cleanup);
        try {
            server.initialise();
            server.begin();
            server.admin(
                    "CREATE ROLE " + TRUSTED + " LOGIN",
                    "CREATE ROLE " + WITH_PASSWORD + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Turns TLS on with a self-signed certificate made by {@code openssl}, and makes
     * {@code tlsOnlyUser} (created here) able to log in over TLS only; restarts the server.
     */
    public void enableTls(String tlsOnlyUser) throws Exception {
        Path key = data.resolve("server.key");
        Path certificate = data.resolve("server.crt");
        RedisServer.selfSigned(key, certificate);
        // PostgreSQL reads its key only when the server's own user owns it and nobody else may.
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        if (asPostgres) {
            var postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(key, postgres);
            Files.setOwner(certificate, postgres);
        }
        Files.writeString(
                data.resolve("postgresql.conf"),
                "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        String hba = Files.readString(data.resolve("pg_hba.conf"));
        Files.writeString(
                data.resolve("pg_hba.conf"),
                "hostssl all " + tlsOnlyUser + " 127.0.0.1/32 trust\nhostnossl all " + tlsOnlyUser
                        + " 127.0.0.1/32 reject\n" + hba,
                StandardCharsets.UTF_8);
        admin("CREATE ROLE " + tlsOnlyUser + " LOGIN");
        stop();
        begin();
    }

    public int port() {
        return port;
    }

    /** The postmaster's process id (its first line of postmaster.pid); the backends are its children. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    }

    /** A new, empty database owned by {@link #TRUSTED}, and how to reach it. */
    public PostgresTarget freshDatabase() throws SQLException {
        return freshDatabase(TRUSTED);
    }

    /** A new, empty database owned by {@code owner}, reached as that user. */
    public PostgresTarget freshDatabase(String owner) throws SQLException {
        String name = "parley_test_" + DATABASES.incrementAndGet();
        admin("CREATE DATABASE " + name + " OWNER " + owner);
        return new PostgresTarget("127.0.0.1", port, name, owner, "disable");
    }

    /** Runs statements as the superuser in {@code database}. */
    public void sql(String database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?sslmode=disable", "postgres", "");
                Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private void admin(String... statements) throws SQLException {
        sql("postgres", statements);
    }

    /** Stops the server the quick way a crash or a restart would (open connections are cut). */
    public void stop() throws Exception {
        run(60, command("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
    }

    /** Starts it again on the same port, with the same data. */
    public void begin() throws Exception {
        run(
                60,
                command(
                        "pg_ctl",
                        "-D",
                        data.toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "30",
                        "start"));
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        TempFolders.delete(dir);
    }

    private void stopQuietly() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(60, command("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
            } catch (Exception | AssertionError e) {
                // best effort: the test's own failure says more
            }
        }
    }

    private void initialise() throws Exception {
        run(
                120,
                command(
                        "initdb",
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"));
        // Loopback TCP only; no Unix socket in a shared folder. fsync off: a test never loses power.
        Files.writeString(
                data.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "port = " + port,
                        "listen_addresses = '127.0.0.1'",
                        "unix_socket_directories = ''",
                        "fsync = off",
                        "full_page_writes = off",
                        "max_connections = 50",
                        "shared_buffers = 16MB",
                        ""),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(
                data.resolve("pg_hba.conf"),
                String.join(
                        "\n",
                        "host all postgres 127.0.0.1/32 trust",
                        "host all " + TRUSTED + " 127.0.0.1/32 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        ""),
                StandardCharsets.UTF_8);
    }

    private List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private void run(int seconds, List<String> command) throws Exception {
        Path output = Files.createTempFile("parley-pg-cmd-", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + seconds + " s");
            }
            if (process.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new AssertionError(
                        command + " failed (" + process.exitValue() + "):\n" + Files.readString(output) + "\n" + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path findBin() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent())))
                        .orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
                return Path.of(entry);
            }
        }
        return null;
    }

    private static int versionOf(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
