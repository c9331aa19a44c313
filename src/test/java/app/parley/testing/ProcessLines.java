package app.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What a child process prints, line by line with the time each arrived, for tests to wait on. */
public final class ProcessLines {
    /** A line and when it was read ({@link System#nanoTime()}). */
    public record Line(String text, long nanos) {}

    private final List<Line> lines = new ArrayList<>();
    private final String name;

    /** Reads {@code process}'s standard output (with its errors, if redirected) on a daemon thread. */
    public ProcessLines(String name, Process process) {
        this.name = name;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            synchronized (lines) {
                                lines.add(new Line(line, System.nanoTime()));
                                lines.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "lines-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The first line (from the start) matching, waiting at most {@code millis}; fails with what was printed. */
    public Line await(Predicate<String> matching, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lines) {
            while (true) {
                for (Line line : lines) {
                    if (matching.test(line.text())) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no " + what + " within " + millis + " ms; it printed:\n"
                            + String.join("\n", texts()));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    public List<String> texts() {
        synchronized (lines) {
            return lines.stream().map(Line::text).toList();
        }
    }
}
