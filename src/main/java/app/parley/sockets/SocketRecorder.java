package app.parley.sockets;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The host's pen for its {@link SocketInventory}: what made the inventory writes it, everyone else
 * gets {@link #inventory()} and reads. Each call is one change, told to the listeners in order;
 * a change to a socket the inventory does not hold (already gone) is dropped, so a late room
 * change racing a disconnect leaves nothing behind. Thread-safe.
 */
public final class SocketRecorder {
    /** Keys of a CONNECT's {@code auth} whose values are shown as they are; every other value is hidden. */
    private static final Set<String> SHOWN_AUTH_KEYS = Set.of("name", "caughtUp", "username");

    static final String HIDDEN = "[hidden]";

    private final SocketInventory inventory = new SocketInventory();

    public SocketInventory inventory() {
        return inventory;
    }

    /**
     * A socket's CONNECT was accepted.
     *
     * @param name    its chat name, or null
     * @param rooms   the chat rooms it is already in
     * @param traffic where its counters are read, or null when nothing counts them
     */
    public void connected(
            String id,
            String connectionId,
            String namespace,
            String name,
            Transport transport,
            String remoteAddress,
            Collection<String> rooms,
            Handshake handshake,
            Traffic.Source traffic) {
        SocketInventory.Entry entry = new SocketInventory.Entry(
                id, connectionId, namespace, name, transport, remoteAddress, Instant.now(), handshake, traffic);
        entry.rooms.addAll(rooms);
        synchronized (inventory.lock) {
            inventory.put(entry);
            inventory.fire(new SocketChange.Connected(entry.info()));
        }
    }

    public void disconnected(String namespace, String id, String reason) {
        synchronized (inventory.lock) {
            SocketInventory.Entry entry = inventory.remove(namespace, id);
            if (entry != null) {
                SocketInfo last = entry.info();
                inventory.departed(last.traffic());
                inventory.fire(new SocketChange.Disconnected(last, reason));
            }
        }
    }

    public void joined(String namespace, String id, String room) {
        synchronized (inventory.lock) {
            SocketInventory.Entry entry = inventory.entries.get(SocketInventory.key(namespace, id));
            if (entry != null && entry.rooms.add(room)) {
                inventory.fire(new SocketChange.RoomJoined(entry.info(), room));
            }
        }
    }

    public void left(String namespace, String id, String room) {
        synchronized (inventory.lock) {
            SocketInventory.Entry entry = inventory.entries.get(SocketInventory.key(namespace, id));
            if (entry != null && entry.rooms.remove(room)) {
                inventory.fire(new SocketChange.RoomLeft(entry.info(), room));
            }
        }
    }

    public void renamed(String namespace, String id, String name) {
        synchronized (inventory.lock) {
            SocketInventory.Entry entry = inventory.entries.get(SocketInventory.key(namespace, id));
            if (entry != null && !java.util.Objects.equals(entry.name, name)) {
                entry.name = name;
                inventory.fire(new SocketChange.Renamed(entry.info()));
            }
        }
    }

    /** Every socket of the connection now goes over {@code transport}. */
    public void transportChanged(String connectionId, Transport transport) {
        synchronized (inventory.lock) {
            for (SocketInventory.Entry entry : inventory.ofConnection(connectionId)) {
                if (entry.transport != transport) {
                    entry.transport = transport;
                    inventory.fire(new SocketChange.TransportChanged(entry.info()));
                }
            }
        }
    }

    /** Whether any socket of the connection is in the inventory. */
    public boolean holdsConnection(String connectionId) {
        synchronized (inventory.lock) {
            return !inventory.ofConnection(connectionId).isEmpty();
        }
    }

    /**
     * A CONNECT's {@code auth} as the inventory shows it: admins see who connected, never a
     * secret, so every value is {@value #HIDDEN} but a chat name and plain flags. A password, a
     * user key or a resume token would let whoever reads the inventory act as that person.
     */
    public static Map<String, Object> shownAuth(Object auth) {
        Map<String, Object> shown = new java.util.LinkedHashMap<>();
        if (auth instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String name = String.valueOf(key);
                boolean plain = value instanceof Boolean || (value instanceof String && SHOWN_AUTH_KEYS.contains(name));
                shown.put(name, plain ? value : HIDDEN);
            });
        }
        return shown;
    }
}
