package app.parley.host;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who is present, under which name, in which rooms, and who is told about it. A socket counts
 * as present once its CONNECT was accepted. Only sockets that asked for the list
 * ({@code list-peers}) hear of changes after it, as {@code peers-changed} and
 * {@code room-members} batches at most every {@link #BATCH_MILLIS}: a tutorial client that never
 * asks costs nothing, and a thousand people arriving at once cost a few dozen messages to each
 * listener instead of a thousand.
 *
 * <p>The list a socket receives and the batches after it are ordered by one lock, so every change
 * after the list reaches it exactly once (a change already in the list may come again in the
 * next batch, which applying as a set absorbs).
 */
final class Presence implements AutoCloseable {
    static final long BATCH_MILLIS = 250;
    /** netty-socketio room of the listeners; a name no client may join (control character). */
    private static final String LISTENERS = "\u0001presence";

    private final SocketIOServer server;
    private final Set<UUID> present = ConcurrentHashMap.newKeySet();
    private final Set<UUID> listeners = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Nicknames of the present sockets that have one. Guarded by {@link #lock}. */
    private final Map<String, String> names = new HashMap<>();
    /** The user of each present socket. Guarded by {@link #lock}. */
    private final Map<String, String> users = new HashMap<>();
    private final Map<String, String> joinedUsers = new LinkedHashMap<>();
    /** The chat rooms each present socket is in (not its own id room). Guarded by {@link #lock}. */
    private final Map<UUID, Set<String>> roomsOf = new HashMap<>();
    private final List<String> joined = new ArrayList<>();
    private final List<String> left = new ArrayList<>();
    private final Map<String, String> named = new LinkedHashMap<>();
    private final Set<String> changedRooms = new LinkedHashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-presence");
        t.setDaemon(true);
        return t;
    });

    Presence(SocketIOServer server) {
        this.server = server;
        timer.scheduleWithFixedDelay(this::flush, BATCH_MILLIS, BATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param name the socket's nickname, or null
     * @param user its user ({@code Users})
     */
    void admit(UUID id, String name, String user) {
        synchronized (lock) {
            present.add(id);
            roomsOf.put(id, new LinkedHashSet<>());
            joined.add(id.toString());
            users.put(id.toString(), user);
            joinedUsers.put(id.toString(), user);
            if (name != null) {
                names.put(id.toString(), name);
                named.put(id.toString(), name);
            }
        }
    }

    void rename(UUID id, String name) {
        synchronized (lock) {
            if (present.contains(id)) {
                names.put(id.toString(), name);
                named.put(id.toString(), name);
            }
        }
    }

    /** @return whether the socket had been present */
    boolean leave(UUID id) {
        synchronized (lock) {
            if (!present.remove(id)) {
                return false;
            }
            listeners.remove(id);
            names.remove(id.toString());
            named.remove(id.toString());
            users.remove(id.toString());
            joinedUsers.remove(id.toString());
            changedRooms.addAll(roomsOf.remove(id));
            left.add(id.toString());
            return true;
        }
    }

    void joinedRoom(UUID id, String room) {
        synchronized (lock) {
            Set<String> rooms = roomsOf.get(id);
            if (rooms != null && rooms.add(room)) {
                changedRooms.add(room);
            }
        }
    }

    void leftRoom(UUID id, String room) {
        synchronized (lock) {
            Set<String> rooms = roomsOf.get(id);
            if (rooms != null && rooms.remove(room)) {
                changedRooms.add(room);
            }
        }
    }

    boolean isInRoom(UUID id, String room) {
        synchronized (lock) {
            Set<String> rooms = roomsOf.get(id);
            return rooms != null && rooms.contains(room);
        }
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (UUID id : present) {
            ids.add(id.toString());
        }
        return ids;
    }

    /** The whole list for {@code client}, which from now on also hears every change. */
    void sendListTo(SocketIOClient client, java.util.function.Consumer<Object> answer) {
        synchronized (lock) {
            client.joinRoom(LISTENERS);
            listeners.add(client.getSessionId());
            answer.accept(WireCodec.encodePeers(ids(), names, users));
            // The rooms it is already in, so a client that asks after joining (a reconnect) is complete.
            for (String room : roomsOf.getOrDefault(client.getSessionId(), Set.of())) {
                client.sendEvent(ChatEvents.ROOM_MEMBERS, WireCodec.encodeRoomMembers(room, membersOf(room)));
            }
        }
    }

    /**
     * Sends the pending batch now if it still holds {@code id}'s arrival: called before anything
     * {@code id} says is routed, so nobody hears a person speak before hearing them arrive.
     */
    void announceArrival(UUID id) {
        synchronized (lock) {
            if (!joined.isEmpty() && joined.contains(id.toString())) {
                flush();
            }
        }
    }

    /** Sends what changed since the last batch to every listener. */
    void flush() {
        synchronized (lock) {
            if (!joined.isEmpty() || !left.isEmpty() || !named.isEmpty()) {
                server.getRoomOperations(LISTENERS).sendEvent(ChatEvents.PEERS_CHANGED,
                        WireCodec.encodePeersChanged(List.copyOf(joined), List.copyOf(left), named, joinedUsers));
                joined.clear();
                left.clear();
                named.clear();
                joinedUsers.clear();
            }
            for (String room : changedRooms) {
                List<String> members = membersOf(room);
                Object payload = WireCodec.encodeRoomMembers(room, members);
                for (String member : members) {
                    UUID id = UUID.fromString(member);
                    SocketIOClient client = listeners.contains(id) ? server.getClient(id) : null;
                    if (client != null) {
                        client.sendEvent(ChatEvents.ROOM_MEMBERS, payload);
                    }
                }
            }
            changedRooms.clear();
        }
    }

    /** Guarded by {@link #lock}; rooms are small next to the whole host, so a scan is fine. */
    private List<String> membersOf(String room) {
        List<String> members = new ArrayList<>();
        roomsOf.forEach((id, rooms) -> {
            if (rooms.contains(room)) {
                members.add(id.toString());
            }
        });
        return members;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
