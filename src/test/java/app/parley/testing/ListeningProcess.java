package app.parley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A server program a test runs in the foreground on a loopback port, with its files in a
 * temporary folder ({@code stdout.log} among them): started, waited for until it takes
 * connections, stopped and its folder removed on {@link #close}.
 */
abstract class ListeningProcess implements AutoCloseable {
    final Path dir;
    private final int port;
    private Process process;

    /** A temporary folder named after {@code name} and a free loopback port for the program. */
    ListeningProcess(String name) throws IOException {
        this.dir = Files.createTempDirectory("parley-" + name + "-");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
    }

    /**
     * Skips the test when {@code binary} is missing, unless {@code CI} is set, where it fails: CI
     * installs the Debian package {@code debianPackage}.
     */
    static void requireInstalled(Path binary, String debianPackage) {
        if (!Files.isExecutable(binary)) {
            String why = debianPackage + " is not installed (no " + binary + ")";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why + "; .ci/run installs Debian's " + debianPackage);
            }
            Assumptions.abort(why);
        }
    }

    /**
     * Runs {@code command} and returns once it accepts connections on its port; fails with its log
     * (and is closed) when it exits first or does not listen within 15 s.
     */
    void launch(String... command) throws Exception {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(command[0] + " exited " + process.exitValue() + ":\n" + log());
                }
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            throw new AssertionError(command[0] + " did not listen within 15 s:\n" + log());
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** What the program said, for a failure message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM, SIGKILL after 5 s; then its folder is removed. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TempFolders.delete(dir);
    }
}
