package app.parley.sockets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every socket connected to the host, in every namespace, with listeners for changes: the read
 * model the Admin UI protocol and a "Sockets" pane are built on. Only the host writes it (through
 * the {@link SocketRecorder} that made it).
 *
 * <p>Thread-safe. Listeners hear each change once, in the order the changes happened (joined
 * before left, connected before anything else of the socket), on the thread that made the
 * change, which is often a Netty I/O thread: a listener must be quick and must never block (a
 * window hands the change to its UI thread, coalescing floods). Counters are not changes: a pane
 * reads {@link SocketInfo#traffic()} from {@link #sockets()} when it refreshes.
 *
 * <pre>{@code
 * inventory.addListener(change -> {
 *     if (change instanceof SocketChange.RoomJoined joined) { ... joined.socket().id(), joined.room() ... }
 * });
 * }</pre>
 */
public final class SocketInventory {
    /** What {@link #addListener} returns: closing it stops the listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** One socket, changed only under {@link #lock}. */
    static final class Entry {
        final String id;
        final String connectionId;
        final String namespace;
        String name;
        Transport transport;
        final String remoteAddress;
        final Set<String> rooms = new LinkedHashSet<>();
        final Instant connectedSince;
        final Handshake handshake;
        final Traffic.Source traffic;

        Entry(
                String id,
                String connectionId,
                String namespace,
                String name,
                Transport transport,
                String remoteAddress,
                Instant connectedSince,
                Handshake handshake,
                Traffic.Source traffic) {
            this.id = id;
            this.connectionId = connectionId;
            this.namespace = namespace;
            this.name = name;
            this.transport = transport;
            this.remoteAddress = remoteAddress;
            this.connectedSince = connectedSince;
            this.handshake = handshake;
            this.traffic = traffic;
        }

        SocketInfo info() {
            Traffic now = traffic == null ? Traffic.NONE : traffic.now();
            return new SocketInfo(
                    id,
                    connectionId,
                    namespace,
                    name,
                    transport,
                    remoteAddress,
                    new ArrayList<>(rooms),
                    connectedSince,
                    handshake,
                    now == null ? Traffic.NONE : now);
        }
    }

    final Object lock = new Object();
    /** By {@link #key}, in the order they connected. Guarded by {@link #lock}. */
    final Map<String, Entry> entries = new LinkedHashMap<>();
    /**
     * The same entries by connection (a connection has a socket per namespace, so one or two), so
     * an upgrade or a close costs its own sockets, not a walk over the host. Guarded by {@link #lock}.
     */
    final Map<String, List<Entry>> byConnection = new java.util.HashMap<>();

    private final List<Consumer<SocketChange>> listeners = new CopyOnWriteArrayList<>();
    /** What sockets that have left had sent and received, so totals never go down. Guarded by {@link #lock}. */
    private Traffic departed = Traffic.NONE;

    SocketInventory() {}

    static String key(String namespace, String id) {
        return namespace + '\u0000' + id;
    }

    /** Under {@link #lock}: holds {@code entry}, replacing one of the same namespace and id. */
    void put(Entry entry) {
        Entry replaced = entries.put(key(entry.namespace, entry.id), entry);
        if (replaced != null) {
            unindex(replaced);
        }
        byConnection
                .computeIfAbsent(entry.connectionId, c -> new ArrayList<>(2))
                .add(entry);
    }

    /** Under {@link #lock}: forgets the socket; null when it was not held. */
    Entry remove(String namespace, String id) {
        Entry entry = entries.remove(key(namespace, id));
        if (entry != null) {
            unindex(entry);
        }
        return entry;
    }

    /** Under {@link #lock}: the sockets of one connection (empty when none). */
    List<Entry> ofConnection(String connectionId) {
        return byConnection.getOrDefault(connectionId, List.of());
    }

    private void unindex(Entry entry) {
        List<Entry> same = byConnection.get(entry.connectionId);
        if (same != null) {
            same.remove(entry);
            if (same.isEmpty()) {
                byConnection.remove(entry.connectionId);
            }
        }
    }

    /** Every connected socket, in the order they connected. */
    public List<SocketInfo> sockets() {
        synchronized (lock) {
            List<SocketInfo> all = new ArrayList<>(entries.size());
            entries.values().forEach(entry -> all.add(entry.info()));
            return all;
        }
    }

    /** The connected sockets of one namespace ({@code /} for the chat). */
    public List<SocketInfo> sockets(String namespace) {
        synchronized (lock) {
            List<SocketInfo> some = new ArrayList<>();
            for (Entry entry : entries.values()) {
                if (entry.namespace.equals(namespace)) {
                    some.add(entry.info());
                }
            }
            return some;
        }
    }

    public Optional<SocketInfo> find(String namespace, String id) {
        synchronized (lock) {
            Entry entry = entries.get(key(namespace, id));
            return entry == null ? Optional.empty() : Optional.of(entry.info());
        }
    }

    /**
     * The sockets of {@code namespace} that {@code filter} picks, as Node's
     * {@code io.of(namespace).in(filter)} does: those in room {@code filter}, or the one whose id it
     * is (every socket is in a room named by its id); every socket of the namespace when null.
     */
    public List<SocketInfo> select(String namespace, String filter) {
        List<SocketInfo> picked = new ArrayList<>();
        for (SocketInfo socket : sockets(namespace)) {
            if (filter == null || socket.id().equals(filter) || socket.rooms().contains(filter)) {
                picked.add(socket);
            }
        }
        return picked;
    }

    /** How many sockets one namespace has now. */
    public int count(String namespace) {
        synchronized (lock) {
            int n = 0;
            for (Entry entry : entries.values()) {
                if (entry.namespace.equals(namespace)) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Everything every socket has sent and received since the host started, those gone included. */
    public Traffic totalTraffic() {
        synchronized (lock) {
            Traffic sum = departed;
            for (Entry entry : entries.values()) {
                sum = plus(sum, entry.info().traffic());
            }
            return sum;
        }
    }

    /** Hears every change from now on (see the class comment for the threading rules). */
    public Subscription addListener(Consumer<SocketChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Under {@link #lock}: tells every listener, in order with the change. */
    void fire(SocketChange change) {
        for (Consumer<SocketChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                // One broken listener must not keep the others, or the host, from going on.
                System.getLogger(SocketInventory.class.getName())
                        .log(System.Logger.Level.WARNING, "A socket inventory listener failed", e);
            }
        }
    }

    /** Under {@link #lock}: a socket left, its counts move to the totals of those gone. */
    void departed(Traffic last) {
        departed = plus(departed, last);
    }

    private static Traffic plus(Traffic a, Traffic b) {
        return new Traffic(
                a.messagesIn() + b.messagesIn(),
                a.bytesIn() + b.bytesIn(),
                a.messagesOut() + b.messagesOut(),
                a.bytesOut() + b.bytesOut());
    }
}
