package app.parley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/** A server process a test started: wait until it takes connections on its loopback port, and stop it. */
final class ListeningProcess {
    private ListeningProcess() {}

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

    /** A loopback port nobody listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Returns once {@code process} accepts connections on 127.0.0.1:{@code port}; fails with its
     * {@code log} when it exits first or does not listen within 15 s (it is stopped then).
     */
    static void await(Process process, int port, String name, Supplier<String> log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited " + process.exitValue() + ":\n" + log.get());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        stop(process);
        throw new AssertionError(name + " did not listen within 15 s:\n" + log.get());
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
