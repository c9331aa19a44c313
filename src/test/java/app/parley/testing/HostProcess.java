package app.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A headless host ({@code parley --host --headless}) in a JVM of its own, so a test can SIGKILL it
 * the way a crash would. Its output is kept for a failure message.
 */
public final class HostProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private HostProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a host on {@code port} (127.0.0.1) with {@code options}; returns once it listens. */
    public static HostProcess start(int port, Path dataDir, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "app.parley.app.Launcher",
                "--host",
                "--headless",
                "--no-advertise",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port)));
        command.addAll(options);
        Files.createDirectories(dataDir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
        HostProcess host = new HostProcess(builder.start(), port);
        host.awaitListening();
        return host;
    }

    private void awaitListening() throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Void> listening = new java.util.concurrent.CompletableFuture<>();
        Thread pump = new Thread(
                () -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            if (output.length() < 500_000) {
                                output.append(line).append('\n');
                            }
                            if (line.startsWith("Parley host listening on")) {
                                listening.complete(null);
                            }
                        }
                    } catch (IOException e) {
                        // the process went away
                    }
                    listening.completeExceptionally(new AssertionError("the host exited before listening:\n" + output));
                },
                "host-" + port + "-output");
        pump.setDaemon(true);
        pump.start();
        listening.get(60, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public String output() {
        return output.toString();
    }

    /** SIGKILL: no goodbye, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemctl stop sends: the host says goodbye and stops. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
