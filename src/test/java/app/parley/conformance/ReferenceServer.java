package app.parley.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code node interop/reference-echo-server.mjs 0} as a child process: the Node.js reference
 * servers the conformance checks are proven against. Its stdout's {@code listening} line gives the
 * port; its stderr is kept for failure messages; closing its stdin ends it.
 */
final class ReferenceServer implements AutoCloseable {
    private static final Path INTEROP =
            Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "interop");
    private static final String SCRIPT = "reference-echo-server.mjs";
    private static final Pattern LISTENING = Pattern.compile("\\{\"event\":\"listening\",\"port\":(\\d+)}");

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private ReferenceServer(Process process) {
        this.process = process;
        pump(process.getInputStream(), "stdout", line -> {
            Matcher m = LISTENING.matcher(line.trim());
            if (m.matches()) {
                port.complete(Integer.parseInt(m.group(1)));
            }
        });
        pump(process.getErrorStream(), "stderr", line -> { });
        process.onExit().thenRun(() -> port.completeExceptionally(
                new IllegalStateException(SCRIPT + " exited with " + process.exitValue())));
    }

    /** Starts the script on a free port and waits (bounded) until it listens. */
    static ReferenceServer start(Duration timeout) throws IOException, InterruptedException {
        if (!Files.isDirectory(INTEROP.resolve("node_modules").resolve("socket.io"))
                || !Files.isDirectory(INTEROP.resolve("node_modules").resolve("engine.io"))) {
            throw new IllegalStateException("interop/node_modules is missing socket.io or engine.io: run `npm ci` in "
                    + INTEROP + " (mvn's generate-test-resources phase does)");
        }
        Process process = new ProcessBuilder("node", INTEROP.resolve(SCRIPT).toString(), "0")
                .directory(INTEROP.getParent().toFile())
                .start();
        ReferenceServer server = new ReferenceServer(process);
        try {
            server.port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String transcript = server.transcript();
            server.close();
            throw new IllegalStateException(SCRIPT + " did not report listening within " + timeout.toSeconds()
                    + " s (" + e.getMessage() + ")\n" + transcript, e);
        }
        return server;
    }

    /** http://127.0.0.1:PORT */
    URI base() {
        return URI.create("http://127.0.0.1:" + port.join());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the script printed so far. */
    String transcript() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Closes stdin (the script exits on that), then ends it by pid if it is still running. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // gone already
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void pump(InputStream stream, String name, Consumer<String> onLine) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (output) {
                        if (output.length() < 100_000) {
                            output.append(name).append(": ").append(line).append('\n');
                        }
                    }
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "reference-server-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
