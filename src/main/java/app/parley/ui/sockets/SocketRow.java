package app.parley.ui.sockets;

import app.parley.protocol.SharedFile;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.Traffic;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One socket in the Sockets pane. The pane updates a row in place for as long as its socket is
 * connected (a new object every second would drop the table's selection under the person's
 * mouse); FX thread only.
 */
public final class SocketRow {
    private final String namespace;
    private final String id;
    private final boolean own;
    private final String address;
    private final Instant connectedSince;
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper transport = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<List<String>> rooms = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyStringWrapper messageRate = new ReadOnlyStringWrapper("0 / 0");
    private final ReadOnlyStringWrapper byteRate = new ReadOnlyStringWrapper("0 B / 0 B");
    /** The counts at the last rate update, and when they were read ({@link System#nanoTime()}). */
    private Traffic lastTraffic;

    private long lastNanos;

    SocketRow(SocketInfo socket, boolean own, long nanos) {
        this.namespace = socket.namespace();
        this.id = socket.id();
        this.own = own;
        this.address = socket.remoteAddress();
        this.connectedSince = socket.connectedSince();
        this.lastTraffic = socket.traffic();
        this.lastNanos = nanos;
        update(socket);
    }

    /** Takes what may change without a rate: name, transport, rooms. */
    void update(SocketInfo socket) {
        String shown = socket.name() == null || socket.name().isBlank() ? "" : socket.name();
        name.set(own ? (shown.isEmpty() ? "this window" : shown + " (this window)") : shown);
        transport.set(socket.transport().wireName());
        if (!rooms.get().equals(socket.rooms())) {
            rooms.set(socket.rooms());
        }
    }

    /** Takes a new snapshot and shows what was sent and received per second since the last one. */
    void rate(SocketInfo socket, long nanos) {
        update(socket);
        double seconds = (nanos - lastNanos) / 1e9;
        if (seconds <= 0) {
            return;
        }
        Traffic now = socket.traffic();
        messageRate.set(perSecond(now.messagesIn() - lastTraffic.messagesIn(), seconds) + " / "
                + perSecond(now.messagesOut() - lastTraffic.messagesOut(), seconds));
        byteRate.set(bytesPerSecond(now.bytesIn() - lastTraffic.bytesIn(), seconds) + " / "
                + bytesPerSecond(now.bytesOut() - lastTraffic.bytesOut(), seconds));
        lastTraffic = now;
        lastNanos = nanos;
    }

    /** "1.2 kB/s" without the "/s": {@code bytes} over {@code seconds}, in file-manager units. */
    static String bytesPerSecond(long bytes, double seconds) {
        return SharedFile.readableSize(Math.round(bytes / seconds));
    }

    private static String perSecond(long count, double seconds) {
        double rate = Math.max(0, count) / seconds;
        return rate >= 10 || rate == Math.rint(rate)
                ? String.valueOf(Math.round(rate))
                : String.format(Locale.ROOT, "%.1f", rate);
    }

    public String namespace() {
        return namespace;
    }

    public String id() {
        return id;
    }

    /** Whether this is the host window's own socket. */
    public boolean own() {
        return own;
    }

    /** Whether the pane may act on it: kick and rooms are the chat's, not the Admin UI's. */
    public boolean chat() {
        return namespace.equals(app.parley.sockets.SocketControl.CHAT_NAMESPACE);
    }

    /** Whether the pane may kick it: a chat socket other than this window's own. */
    public boolean kickable() {
        return chat() && !own;
    }

    public String address() {
        return address;
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty transportProperty() {
        return transport.getReadOnlyProperty();
    }

    /** The rooms it is in, in the order it joined them (not its own id room). */
    public ReadOnlyObjectProperty<List<String>> roomsProperty() {
        return rooms.getReadOnlyProperty();
    }

    /** Messages per second, "in / out". */
    public ReadOnlyStringProperty messageRateProperty() {
        return messageRate.getReadOnlyProperty();
    }

    /** Bytes per second, "in / out". */
    public ReadOnlyStringProperty byteRateProperty() {
        return byteRate.getReadOnlyProperty();
    }
}
