package app.parley.ui.workbench;

import app.parley.workbench.LogEntry;
import app.parley.workbench.Payloads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A connection's log on its way to the screen. Entries arrive on socket threads and are queued
 * without waiting; one drain per pulse (the {@code ui} executor, the app's one hop onto the FX
 * thread) moves everything queued into the list in a single {@code addAll}, so a flood is one
 * list change a frame. The list keeps the newest {@value #MAX_ENTRIES}, and drops older ones
 * sooner when their binary arguments pass {@link #MAX_BINARY_BYTES} together (a server sending
 * a megabyte a second would otherwise fill the memory long before the count). While paused the
 * list stands still and what arrives is held (bounded the same way) and counted; resuming shows it.
 */
final class LogBuffer {
    /** The most entries a log keeps; older ones are dropped. */
    static final int MAX_ENTRIES = 10_000;
    /** The most binary argument bytes the list keeps, and again what a pause holds. */
    static final long MAX_BINARY_BYTES = 64L * 1024 * 1024;

    private final Executor ui;
    private final ConcurrentLinkedQueue<LogEntry> arriving = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** What arrived while paused; FX thread only. */
    private final ArrayDeque<LogEntry> held = new ArrayDeque<>();
    /** Binary bytes in the list and in what is held; FX thread only. */
    private long shownBytes;

    private long heldBytes;

    // Properties //
    private final ObservableList<LogEntry> entries = FXCollections.observableArrayList();
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final ReadOnlyIntegerWrapper heldCount = new ReadOnlyIntegerWrapper(0);

    private final Consumer<List<LogEntry>> seen;

    /** @param seen gets every batch as it reaches the FX thread, paused or not (the status follows it) */
    LogBuffer(Executor ui, Consumer<List<LogEntry>> seen) {
        this.ui = ui;
        this.seen = seen;
        paused.addListener((o, was, now) -> {
            if (!now) {
                List<LogEntry> waiting = new ArrayList<>(held);
                held.clear();
                heldBytes = 0;
                heldCount.set(0);
                show(waiting);
            }
        });
    }

    /** Called on socket threads: queue, and make sure one drain is on its way. Never blocks. */
    void arrive(LogEntry entry) {
        arriving.add(entry);
        if (drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain);
        }
    }

    ObservableList<LogEntry> entries() {
        return entries;
    }

    BooleanProperty pausedProperty() {
        return paused;
    }

    /** How many entries arrived while paused and wait to be shown. */
    ReadOnlyIntegerProperty heldCountProperty() {
        return heldCount.getReadOnlyProperty();
    }

    /** Everything collected: the list and what is held behind a pause. FX thread. */
    List<LogEntry> everything() {
        List<LogEntry> all = new ArrayList<>(entries);
        all.addAll(held);
        return all;
    }

    void clear() {
        entries.clear();
        held.clear();
        shownBytes = 0;
        heldBytes = 0;
        heldCount.set(0);
    }

    private void drain() {
        drainScheduled.set(false);
        List<LogEntry> batch = new ArrayList<>();
        LogEntry next;
        while (batch.size() < MAX_ENTRIES && (next = arriving.poll()) != null) {
            batch.add(next);
        }
        seen.accept(batch);
        if (paused.get()) {
            for (LogEntry e : batch) {
                held.addLast(e);
                heldBytes += weight(e);
            }
            while (held.size() > 1 && (held.size() > MAX_ENTRIES || heldBytes > MAX_BINARY_BYTES)) {
                heldBytes -= weight(held.removeFirst());
            }
            heldCount.set(held.size());
        } else {
            show(batch);
        }
        if (!arriving.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain); // the rest after the window has painted
        }
    }

    /** Adds {@code batch}, dropping the oldest first until both bounds hold: two list changes at most. */
    private void show(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long bytes = shownBytes;
        for (LogEntry e : batch) {
            bytes += weight(e);
        }
        int size = entries.size() + batch.size();
        int drop = 0;
        while (size - drop > 1 && (size - drop > MAX_ENTRIES || bytes > MAX_BINARY_BYTES)) {
            bytes -= weight(drop < entries.size() ? entries.get(drop) : batch.get(drop - entries.size()));
            drop++;
        }
        int fromList = Math.min(drop, entries.size());
        if (fromList > 0) {
            entries.remove(0, fromList);
        }
        entries.addAll(batch.subList(drop - fromList, batch.size()));
        shownBytes = bytes;
    }

    private static long weight(LogEntry entry) {
        return Payloads.binaryBytes(entry.args());
    }
}
