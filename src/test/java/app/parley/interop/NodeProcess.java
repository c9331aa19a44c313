package app.parley.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A Node.js script from {@code interop/} run as a child process: its stdout lines are collected
 * (JSON lines parsed on demand), its stderr kept for failure messages, and commands can be written
 * to its stdin. Every wait is bounded; {@link #close()} ends the script and whatever it started.
 * Public for the conformance tests' Node.js reference server ({@code app.parley.conformance}).
 */
public final class NodeProcess implements AutoCloseable {
    /** The interop folder, under the Maven base directory (Surefire's working directory). */
    static final Path INTEROP = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "interop");

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Set<Integer> taken = new HashSet<>();
    private final StringBuilder errors = new StringBuilder();
    private final OutputStream stdin;

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        pump(process.getInputStream(), name + "-stdout", line -> {
            synchronized (lines) {
                lines.add(line);
                lines.notifyAll();
            }
        });
        pump(process.getErrorStream(), name + "-stderr", line -> {
            synchronized (errors) {
                if (errors.length() < 200_000) {
                    errors.append(line).append('\n');
                }
            }
        });
    }

    /** Starts {@code node interop/<script> args…} in the project directory. */
    public static NodeProcess start(String script, String... args) throws IOException {
        requireInstalled("socket.io", "socket.io-client", "playwright-core");
        List<String> command =
                new ArrayList<>(List.of("node", INTEROP.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(INTEROP.getParent().toFile());
        return new NodeProcess(script, builder.start());
    }

    /**
     * Fails with the fix when one of {@code modules} is missing from {@code interop/node_modules}
     * ({@code npm ci} has not run there).
     */
    /**
     * Runs a checking script (one JSON line per check, {@code {"check":…,"ok":…}}) to its end and
     * fails with every failing check and the transcript unless it exits 0.
     *
     * @param context said in the failure (what else was running, e.g. a server's transcript)
     * @return the checks it printed
     */
    static List<org.json.JSONObject> runChecks(
            Duration timeout, Supplier<String> context, String script, String... args)
            throws IOException, InterruptedException {
        try (NodeProcess process = start(script, args)) {
            int exit = process.awaitExit(timeout);
            List<org.json.JSONObject> checks =
                    process.jsonLines().stream().filter(j -> j.has("check")).toList();
            String failures = checks.stream()
                    .filter(j -> !j.optBoolean("ok"))
                    .map(org.json.JSONObject::toString)
                    .collect(java.util.stream.Collectors.joining("\n"));
            if (exit != 0) {
                throw new AssertionError(script + " " + String.join(" ", args) + " exited " + exit
                        + "; failing checks:\n" + failures + "\n" + process.transcript() + "\n" + context.get());
            }
            return checks;
        }
    }

    public static void requireInstalled(String... modules) {
        for (String module : modules) {
            if (!Files.isDirectory(INTEROP.resolve("node_modules").resolve(module))) {
                throw new IllegalStateException("interop/node_modules/" + module + " is missing: run `mvn -B verify` "
                        + "(its generate-test-resources phase runs `npm ci` in interop/) or `npm ci` in " + INTEROP);
            }
        }
    }

    /** The script's process id, to signal it (a test freezing a server with SIGSTOP). */
    public long pid() {
        return process.pid();
    }

    /** Waits for the script to exit by itself; kills it and fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String transcript = transcript();
            close();
            throw new AssertionError(name + " did not finish within " + timeout.toSeconds() + " s\n" + transcript);
        }
        Thread.sleep(100); // lets the pumps read the last lines
        return process.exitValue();
    }

    /** The port a server script prints as {@code listening <port>} once it listens (15 s at most). */
    int awaitListeningPort() throws InterruptedException {
        String listening =
                awaitLine(line -> line.startsWith("listening "), Duration.ofSeconds(15), "\"listening <port>\" line");
        return Integer.parseInt(listening.substring("listening ".length()).trim());
    }

    /** The first not-yet-taken stdout line matching {@code wanted}, waiting at most {@code timeout}. */
    String awaitLine(Predicate<String> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (int i = 0; i < lines.size(); i++) {
                    if (!taken.contains(i) && wanted.test(lines.get(i))) {
                        taken.add(i);
                        return lines.get(i);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(name + ": no " + what + " within " + timeout.toMillis() + " ms"
                            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "\n"
                            + transcriptLocked());
                }
                lines.wait(Math.min(left, 200));
            }
        }
    }

    /** The first not-yet-taken JSON line matching {@code wanted}. */
    JSONObject awaitJson(Predicate<JSONObject> wanted, Duration timeout, String what) throws InterruptedException {
        return json(awaitLine(
                line -> {
                    JSONObject parsed = json(line);
                    return parsed != null && wanted.test(parsed);
                },
                timeout,
                what));
    }

    /** The first not-yet-taken JSON line whose {@code event} field is {@code event}. */
    public JSONObject awaitEvent(String event, Duration timeout) throws InterruptedException {
        return awaitJson(j -> event.equals(j.optString("event")), timeout, "\"" + event + "\" line");
    }

    /** Every stdout line that parses as a JSON object, in order. */
    List<JSONObject> jsonLines() {
        List<JSONObject> parsed = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                JSONObject json = json(line);
                if (json != null) {
                    parsed.add(json);
                }
            }
        }
        return parsed;
    }

    /** Writes one JSON command line to the script's stdin. */
    public void send(JSONObject command) throws IOException {
        stdin.write((command.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    String stderr() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    /** stdout and stderr so far, for assertion messages. */
    public String transcript() {
        synchronized (lines) {
            return transcriptLocked();
        }
    }

    private String transcriptLocked() {
        return "--- " + name + " stdout ---\n" + String.join("\n", lines) + "\n--- " + name + " stderr ---\n"
                + stderr();
    }

    /** Closes stdin (the scripts' lifeline), then ends the script and what it started, by pid. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
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
        // Anything the script started (a browser) that outlived it.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }

    static JSONObject json(String line) {
        if (line == null || !line.startsWith("{")) {
            return null;
        }
        try {
            return new JSONObject(line);
        } catch (JSONException e) {
            return null;
        }
    }

    private static void pump(InputStream stream, String threadName, Consumer<String> sink) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line = reader.readLine();
                        while (line != null) {
                            sink.accept(line);
                            line = reader.readLine();
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                threadName);
        thread.setDaemon(true);
        thread.start();
    }
}
