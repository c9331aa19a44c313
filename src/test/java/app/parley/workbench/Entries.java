package app.parley.workbench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A workbench connection's log as a test sees it: every entry, and bounded waits for one. */
final class Entries implements Consumer<LogEntry> {
    static final long WAIT_MILLIS = 8_000;

    private final List<LogEntry> entries = new ArrayList<>();

    @Override
    public synchronized void accept(LogEntry entry) {
        entries.add(entry);
        notifyAll();
    }

    synchronized List<LogEntry> all() {
        return List.copyOf(entries);
    }

    /** The first entry matching {@code wanted}, waiting at most {@value #WAIT_MILLIS} ms. */
    synchronized LogEntry await(String what, Predicate<LogEntry> wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            for (LogEntry entry : entries) {
                if (wanted.test(entry)) {
                    return entry;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + WAIT_MILLIS + " ms; log:\n" + dump());
            }
            wait(Math.min(left, 200));
        }
    }

    LogEntry awaitIn(String event) throws InterruptedException {
        return await(
                "incoming " + event,
                e -> e.direction() == LogEntry.Direction.IN
                        && e.kind() == LogEntry.Kind.EVENT
                        && e.event().equals(event));
    }

    LogEntry awaitKind(LogEntry.Kind kind) throws InterruptedException {
        return await(kind.name(), e -> e.kind() == kind);
    }

    private String dump() {
        StringBuilder out = new StringBuilder();
        entries.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }
}
