package app.parley.ui.workbench;

import app.parley.workbench.LogEntry;
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
 * list change a frame. The list keeps the newest {@value #MAX_ENTRIES}. While paused the list
 * stands still and what arrives is held (bounded the same way) and counted; resuming shows it.
 */
final class LogBuffer {
    /** The most entries a log keeps; older ones are dropped. */
    static final int MAX_ENTRIES = 10_000;

    private final Executor ui;
    private final ConcurrentLinkedQueue<LogEntry> arriving = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** What arrived while paused; FX thread only. */
    private final ArrayDeque<LogEntry> held = new ArrayDeque<>();

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
                show(new ArrayList<>(held));
                held.clear();
                heldCount.set(0);
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
        heldCount.set(0);
    }

    private void drain() {
        drainScheduled.set(false);
        List<LogEntry> batch = new ArrayList<>();
        for (LogEntry e = arriving.poll(); e != null && batch.size() < MAX_ENTRIES; e = arriving.poll()) {
            batch.add(e);
        }
        seen.accept(batch);
        if (paused.get()) {
            held.addAll(batch);
            while (held.size() > MAX_ENTRIES) {
                held.removeFirst();
            }
            heldCount.set(held.size());
        } else {
            show(batch);
        }
        if (!arriving.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain); // the rest after the window has painted
        }
    }

    private void show(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        int overflow = entries.size() + batch.size() - MAX_ENTRIES;
        if (overflow > 0) {
            int fromList = Math.min(overflow, entries.size());
            entries.remove(0, fromList);
            batch = batch.subList(overflow - fromList, batch.size());
        }
        entries.addAll(batch);
    }
}
