package app.parley.testing;

import app.parley.cluster.ClusterTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} of the test's own, on a free loopback port with its data in a
 * temporary folder (no snapshots, no append-only file), removed on {@link #close}. It can be
 * stopped and started again on the same port, as a restart in production would. Without Redis
 * installed the test is skipped, unless {@code CI} is set, where it fails: CI installs Debian's
 * {@code redis-server}.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String password;
    private final boolean tls;
    private final Thread cleanup;
    private Process process;

    private RedisServer(Path dir, int port, String password, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.tls = tls;
        this.cleanup = new Thread(this::stop, "redis-test-cleanup");
    }

    /** A server anyone on loopback may use. */
    public static RedisServer start() throws Exception {
        return start(null);
    }

    /** A server that asks for {@code password} (Redis's {@code requirepass}), or none for null. */
    public static RedisServer start(String password) throws Exception {
        return start(password, false);
    }

    /**
     * A server that speaks TLS only, with a self-signed certificate for 127.0.0.1 made by
     * {@code openssl} ({@link #certificate}: the one authority to trust for it).
     */
    public static RedisServer startTls() throws Exception {
        return start(null, true);
    }

    private static RedisServer start(String password, boolean tls) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-server")) && !onPath("redis-server")) {
            String why = "Redis is not installed (no redis-server)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why + "; .ci/run installs Debian's redis-server");
            }
            Assumptions.abort(why);
        }
        RedisServer server = new RedisServer(Files.createTempDirectory("parley-redis-"), freePort(), password, tls);
        Runtime.getRuntime().addShutdownHook(server.cleanup);
        if (tls) {
            selfSigned(server.dir.resolve("redis.key"), server.certificate());
        }
        server.begin();
        return server;
    }

    /** A self-signed certificate for 127.0.0.1 (its name, as a verifying client checks it) and its key. */
    public static void selfSigned(Path key, Path certificate) throws Exception {
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        certificate.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new AssertionError("openssl could not make a certificate: " + output);
        }
    }

    /** The TLS server's certificate (PEM). */
    public Path certificate() {
        return dir.resolve("redis.crt");
    }

    public int port() {
        return port;
    }

    /** Where hosts find it, as {@code --cluster} would name it (its password, if any, as REDISCLI_AUTH gives it). */
    public ClusterTarget target() {
        return new ClusterTarget("127.0.0.1", port, 0, tls, null, password, tls ? certificate() : null);
    }

    /** The running server's process id (for measuring its CPU). */
    public synchronized long pid() {
        return process.pid();
    }

    public String url() {
        return (tls ? "rediss://" : "redis://") + "127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port; returns once it accepts connections. */
    public synchronized void begin() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                tls ? "0" : Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                dir.resolve("server.log").toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        if (tls) {
            command.addAll(List.of(
                    "--tls-port",
                    Integer.toString(port),
                    "--tls-cert-file",
                    certificate().toString(),
                    "--tls-key-file",
                    dir.resolve("redis.key").toString(),
                    "--tls-auth-clients",
                    "no"));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited " + process.exitValue() + ": " + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not accept connections within 30 s: " + log());
    }

    /** Kills the server at once, as a crash would: its data (kept in memory only) is gone. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        TempFolders.delete(dir);
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
