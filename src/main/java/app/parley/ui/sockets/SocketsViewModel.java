package app.parley.ui.sockets;

import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.SocketInventory;
import app.parley.sockets.Traffic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The host window's Sockets pane: every socket connected to this host, live (id, name, transport,
 * address, rooms, connected since, messages and bytes per second), and what the host may do to
 * one (kick it, move it into or out of a room). Reads the host's {@link SocketInventory}; acts
 * through its {@link SocketControl}, the paths a socket's own requests take.
 *
 * <p>Inventory changes arrive on the host's I/O threads; they only mark the rows stale and post
 * one refresh through {@code ui} (the window's {@code FxPump}), however many arrive before it runs.
 * Everything else runs on the FX thread: {@link #tick()} once a second for the rates.
 */
public final class SocketsViewModel implements AutoCloseable {
    static final String KICK_REASON = "kicked by the host";

    private final SocketInventory inventory;
    private final Supplier<Optional<SocketControl>> control;
    private final Supplier<String> ownId;
    private final Executor ui;
    private final LongSupplier clock;
    private final ObservableList<SocketRow> rows = FXCollections.observableArrayList();
    private final Map<String, SocketRow> byKey = new HashMap<>();
    private final FilteredList<SocketRow> shown = new FilteredList<>(rows);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<SocketRow> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final AtomicBoolean refreshPosted = new AtomicBoolean();
    private SocketInventory.Subscription subscription;
    private Traffic lastTotal;
    private long lastTotalNanos;
    private String totalRate = "";

    /**
     * @param control what acts on the host's sockets, asked for at each action (empty once the host stopped)
     * @param ownId   this window's own socket id, marked in the list and never kicked
     * @param ui      runs work on the FX thread without waiting (the window's {@code FxPump})
     * @param clock   {@link System#nanoTime()}, or a test's
     */
    public SocketsViewModel(
            SocketInventory inventory,
            Supplier<Optional<SocketControl>> control,
            Supplier<String> ownId,
            Executor ui,
            LongSupplier clock) {
        this.inventory = inventory;
        this.control = control;
        this.ownId = ownId;
        this.ui = ui;
        this.clock = clock;
        filter.addListener((obs, old, now) -> shown.setPredicate(row -> matches(row, now)));
    }

    /** Starts listening and shows what is connected now. FX thread. */
    public void start() {
        if (subscription != null) {
            return;
        }
        subscription = inventory.addListener(change -> {
            if (refreshPosted.compareAndSet(false, true)) {
                ui.execute(() -> {
                    refreshPosted.set(false);
                    refresh(false);
                });
            }
        });
        lastTotal = inventory.totalTraffic();
        lastTotalNanos = clock.getAsLong();
        refresh(false);
    }

    /** Once a second: the rates, and anything a coalesced change has not shown yet. FX thread. */
    public void tick() {
        refresh(true);
    }

    private void refresh(boolean withRates) {
        if (subscription == null) {
            return;
        }
        long now = clock.getAsLong();
        String own = ownId.get();
        List<SocketInfo> sockets = inventory.sockets();
        Map<String, SocketRow> kept = new HashMap<>(sockets.size() * 2);
        List<SocketRow> order = new ArrayList<>(sockets.size());
        for (SocketInfo socket : sockets) {
            String key = key(socket.namespace(), socket.id());
            SocketRow row = byKey.get(key);
            if (row == null) {
                row = new SocketRow(socket, socket.id().equals(own), now);
            } else if (withRates) {
                row.rate(socket, now);
            } else {
                row.update(socket);
            }
            kept.put(key, row);
            order.add(row);
        }
        byKey.clear();
        byKey.putAll(kept);
        // Only rows that came or went change the list, so the table keeps its selection and scroll.
        rows.removeIf(row -> !kept.containsKey(key(row.namespace(), row.id())));
        for (int i = 0; i < order.size(); i++) {
            SocketRow row = order.get(i);
            if (i >= rows.size() || rows.get(i) != row) {
                rows.remove(row);
                rows.add(Math.min(i, rows.size()), row);
            }
        }
        SocketRow chosen = selected.get();
        if (chosen != null && kept.get(key(chosen.namespace(), chosen.id())) != chosen) {
            selected.set(null);
        }
        if (withRates) {
            Traffic total = inventory.totalTraffic();
            double seconds = (now - lastTotalNanos) / 1e9;
            if (seconds > 0) {
                totalRate = String.format(
                        Locale.ROOT,
                        " · in %s/s, out %s/s",
                        SocketRow.bytesPerSecond(total.bytesIn() - lastTotal.bytesIn(), seconds),
                        SocketRow.bytesPerSecond(total.bytesOut() - lastTotal.bytesOut(), seconds));
            }
            lastTotal = total;
            lastTotalNanos = now;
        }
        long chat = rows.stream().filter(SocketRow::chat).count();
        summary.set(plural(rows.size(), "socket") + " (" + chat + " in the chat)" + totalRate);
    }

    /** Disconnects the socket from the chat; its client is told it was disconnected by the server. */
    public void kick(SocketRow row) {
        if (row != null && row.chat() && !row.kickable()) {
            status.set("This window's own socket cannot be kicked; use Stop hosting.");
            return;
        }
        act(row, c -> c.disconnect(row.id(), false, KICK_REASON), label(row) + " was kicked");
    }

    /** Moves the socket into {@code room}, as its own {@code join-room} would. */
    public void join(SocketRow row, String room) {
        String name = room == null ? "" : room.strip();
        act(row, c -> c.join(row.id(), name), label(row) + " was moved into " + name);
    }

    /** Takes the socket out of {@code room}, as its own {@code leave-room} would. */
    public void leave(SocketRow row, String room) {
        act(row, c -> c.leave(row.id(), room), label(row) + " was taken out of " + room);
    }

    private void act(SocketRow row, java.util.function.Function<SocketControl, Optional<String>> action, String done) {
        if (row == null) {
            status.set("Choose a socket first.");
            return;
        }
        if (!row.chat()) {
            status.set("Only chat sockets can be moved or kicked; " + row.id() + " is on " + row.namespace() + ".");
            return;
        }
        Optional<SocketControl> host = control.get();
        if (host.isEmpty()) {
            status.set("The host has stopped.");
            return;
        }
        Optional<String> refused = action.apply(host.get());
        status.set(refused.map(reason -> "Not done: " + reason).orElse(done));
    }

    private static String label(SocketRow row) {
        String name = row.nameProperty().get();
        return name.isEmpty() ? row.id() : name + " (" + row.id() + ")";
    }

    private static boolean matches(SocketRow row, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String wanted = filter.strip().toLowerCase(Locale.ROOT);
        return row.id().toLowerCase(Locale.ROOT).contains(wanted)
                || row.nameProperty().get().toLowerCase(Locale.ROOT).contains(wanted)
                || String.valueOf(row.address()).contains(wanted)
                || row.roomsProperty().get().stream()
                        .anyMatch(room -> room.toLowerCase(Locale.ROOT).contains(wanted));
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String key(String namespace, String id) {
        return namespace + '\u0000' + id;
    }

    /** Every connected socket, in the order they connected. */
    public ObservableList<SocketRow> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** The rows the filter lets through: what the table shows. */
    public ObservableList<SocketRow> shownRows() {
        return shown;
    }

    /** Text a row must contain (id, name, address or a room), ignoring case; empty for all. */
    public StringProperty filterProperty() {
        return filter;
    }

    /** The row the actions apply to; cleared when its socket goes. */
    public ObjectProperty<SocketRow> selectedProperty() {
        return selected;
    }

    /** What the last action did, or why it did nothing. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** "3 sockets (2 in the chat) · in 1.2 kB/s, out 3.4 kB/s". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Stops listening. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
