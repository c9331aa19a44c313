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
 *
 * <p>In a cluster (docs/PROTOCOL.md §19) the people on the other Parley hosts are here too, as
 * {@link ClusterPeople} hears of them: listed, counted in rooms and announced like local ones,
 * never sent to from here. This host's own changes go out to the others in the same batches.
 */
final class Presence implements AutoCloseable {
    static final long BATCH_MILLIS = 250;
    /** netty-socketio room of the listeners; a name no client may join (control character). */
    private static final String LISTENERS = "\u0001presence";

    private final SocketIOServer server;
    /**
     * The present sockets; their names, users, rooms and whether they listen are on each
     * {@link Guest} (rooms and listening guarded by {@link #lock}). Changed under the lock.
     */
    private final Map<UUID, Guest> present = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private final Map<String, String> joinedUsers = new LinkedHashMap<>();
    private final List<String> joined = new ArrayList<>();
    private final List<String> left = new ArrayList<>();
    private final Map<String, String> named = new LinkedHashMap<>();
    private final Set<String> changedRooms = new LinkedHashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-presence");
        t.setDaemon(true);
        return t;
    });

    /** Hears each change of a present socket's rooms and name, under the lock, in order ({@link SocketBook}). */
    interface Observer {
        void joined(UUID id, String room);

        void left(UUID id, String room);

        void renamed(UUID id, String name);
    }

    private volatile Observer observer;

    /** A person on another Parley host of the cluster; rooms guarded by {@link #lock}. */
    record RemotePerson(String id, String user, String name, Set<String> rooms) {}

    /** The other hosts' people by socket id (guarded by {@link #lock}). */
    private final Map<String, RemotePerson> remote = new HashMap<>();
    /** This host's changes since the last batch, in order, for the cluster's other hosts; null when alone. */
    private List<Map<String, Object>> outgoing;

    private java.util.function.Consumer<List<Map<String, Object>>> cluster;

    Presence(SocketIOServer server) {
        this.server = server;
        timer.scheduleWithFixedDelay(this::flush, BATCH_MILLIS, BATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param guest the socket, with its user ({@code Users})
     * @param name the nickname it was granted at connect, or null
     */
    void admit(Guest guest, String name) {
        synchronized (lock) {
            UUID id = guest.id();
            present.put(id, guest);
            guest.rooms().clear();
            joined.add(id.toString());
            joinedUsers.put(id.toString(), guest.user());
            if (name != null) {
                named.put(id.toString(), name);
            }
            tell(change("join", id.toString(), "user", guest.user(), "name", name, "since", since(guest)));
        }
    }

    /**
     * From now on this host's changes are handed to {@code out} once per batch, in order, for the
     * cluster's other hosts (a list of changes, each a map with an {@code op}).
     */
    void tellCluster(java.util.function.Consumer<List<Map<String, Object>>> out) {
        synchronized (lock) {
            cluster = out;
            outgoing = new ArrayList<>();
        }
    }

    private void tell(Map<String, Object> change) {
        if (outgoing != null) {
            outgoing.add(change);
        }
    }

    /** Since when its name is held (for the cluster's tie between two claims), or null for no name. */
    private static Long since(Guest guest) {
        return guest.name() == null || guest.nameSince() == 0 ? null : guest.nameSince();
    }

    private static Map<String, Object> change(String op, String id, Object... more) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("id", id);
        for (int i = 0; i + 1 < more.length; i += 2) {
            if (more[i + 1] != null) {
                change.put((String) more[i], more[i + 1]);
            }
        }
        return change;
    }

    /** Everyone present here now, for a cluster snapshot: id, user, name (if any) and rooms. */
    List<Map<String, Object>> localPeople() {
        synchronized (lock) {
            List<Map<String, Object>> people = new ArrayList<>();
            present.forEach((id, guest) -> people.add(change(
                    "person",
                    id.toString(),
                    "user",
                    guest.user(),
                    "name",
                    guest.name(),
                    "since",
                    since(guest),
                    "rooms",
                    List.copyOf(guest.rooms()))));
            return people;
        }
    }

    /** A person arrived on another host, or is there as a snapshot says. */
    void remoteArrived(String id, String user, String name, Set<String> rooms) {
        synchronized (lock) {
            if (remote.containsKey(id)) {
                return;
            }
            remote.put(id, new RemotePerson(id, user, name, new LinkedHashSet<>(rooms)));
            joined.add(id);
            joinedUsers.put(id, user);
            if (name != null) {
                named.put(id, name);
            }
            changedRooms.addAll(rooms);
        }
    }

    void remoteLeft(String id) {
        synchronized (lock) {
            RemotePerson gone = remote.remove(id);
            if (gone != null) {
                left.add(id);
                changedRooms.addAll(gone.rooms());
            }
        }
    }

    void remoteRenamed(String id, String name) {
        synchronized (lock) {
            RemotePerson person = remote.get(id);
            if (person != null) {
                remote.put(id, new RemotePerson(id, person.user(), name, person.rooms()));
                named.put(id, name);
            }
        }
    }

    void remoteRoom(String id, String room, boolean in) {
        synchronized (lock) {
            RemotePerson person = remote.get(id);
            if (person != null
                    && (in ? person.rooms().add(room) : person.rooms().remove(room))) {
                changedRooms.add(room);
            }
        }
    }

    /** The other host's person with this socket id, if there is one. */
    java.util.Optional<RemotePerson> remotePerson(String id) {
        synchronized (lock) {
            return java.util.Optional.ofNullable(remote.get(id));
        }
    }

    /** From now on {@code value} hears every change (one observer; set before the host starts). */
    void observe(Observer value) {
        observer = value;
    }

    /** Runs {@code task} where no presence change can happen meanwhile. */
    void locked(Runnable task) {
        synchronized (lock) {
            task.run();
        }
    }

    void rename(UUID id, String name) {
        synchronized (lock) {
            Guest guest = present.get(id);
            if (guest != null) {
                if (name == null) {
                    named.remove(id.toString());
                } else {
                    named.put(id.toString(), name);
                }
                tell(change("name", id.toString(), "name", name, "since", since(guest)));
                if (observer != null) {
                    observer.renamed(id, name);
                }
            }
        }
    }

    /** @return whether the socket had been present */
    boolean leave(UUID id) {
        synchronized (lock) {
            Guest guest = present.remove(id);
            if (guest == null) {
                return false;
            }
            guest.setListening(false);
            named.remove(id.toString());
            joinedUsers.remove(id.toString());
            changedRooms.addAll(guest.rooms());
            guest.rooms().clear();
            left.add(id.toString());
            tell(change("leave", id.toString()));
            return true;
        }
    }

    void joinedRoom(UUID id, String room) {
        synchronized (lock) {
            Guest guest = present.get(id);
            if (guest != null && guest.rooms().add(room)) {
                changedRooms.add(room);
                tell(change("room", id.toString(), "room", room, "in", true));
                if (observer != null) {
                    observer.joined(id, room);
                }
            }
        }
    }

    void leftRoom(UUID id, String room) {
        synchronized (lock) {
            Guest guest = present.get(id);
            if (guest != null && guest.rooms().remove(room)) {
                changedRooms.add(room);
                tell(change("room", id.toString(), "room", room, "in", false));
                if (observer != null) {
                    observer.left(id, room);
                }
            }
        }
    }

    /** The chat rooms the socket is in now (none when it is not present). */
    List<String> roomsOf(UUID id) {
        synchronized (lock) {
            Guest guest = present.get(id);
            return guest == null ? List.of() : List.copyOf(guest.rooms());
        }
    }

    boolean isInRoom(UUID id, String room) {
        synchronized (lock) {
            Guest guest = present.get(id);
            return guest != null && guest.rooms().contains(room);
        }
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (UUID id : present.keySet()) {
            ids.add(id.toString());
        }
        return ids;
    }

    /** The whole list for {@code client}, which from now on also hears every change. */
    void sendListTo(SocketIOClient client, java.util.function.Consumer<Object> answer) {
        synchronized (lock) {
            client.joinRoom(LISTENERS);
            Guest asker = present.get(client.getSessionId());
            if (asker != null) {
                asker.setListening(true);
            }
            Map<String, String> names = new HashMap<>();
            Map<String, String> users = new HashMap<>();
            present.forEach((id, guest) -> {
                String name = guest.name();
                if (name != null) {
                    names.put(id.toString(), name);
                }
                users.put(id.toString(), guest.user());
            });
            List<String> everyone = ids();
            remote.forEach((id, person) -> {
                everyone.add(id);
                if (person.name() != null) {
                    names.put(id, person.name());
                }
                users.put(id, person.user());
            });
            answer.accept(WireCodec.encodePeers(everyone, names, users));
            // The rooms it is already in, so a client that asks after joining (a reconnect) is complete.
            for (String room : asker == null ? Set.<String>of() : asker.rooms()) {
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
            if (outgoing != null && !outgoing.isEmpty()) {
                cluster.accept(List.copyOf(outgoing));
                outgoing.clear();
            }
            if (!joined.isEmpty() || !left.isEmpty() || !named.isEmpty()) {
                server.getRoomOperations(LISTENERS)
                        .sendEvent(
                                ChatEvents.PEERS_CHANGED,
                                WireCodec.encodePeersChanged(
                                        List.copyOf(joined), List.copyOf(left), named, joinedUsers));
                joined.clear();
                left.clear();
                named.clear();
                joinedUsers.clear();
            }
            for (String room : changedRooms) {
                List<String> members = membersOf(room);
                Object payload = WireCodec.encodeRoomMembers(room, members);
                for (String member : members) {
                    if (remote.containsKey(member)) {
                        continue;
                    }
                    UUID id = UUID.fromString(member);
                    SocketIOClient client = present.get(id).isListening() ? server.getClient(id) : null;
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
        present.forEach((id, guest) -> {
            if (guest.rooms().contains(room)) {
                members.add(id.toString());
            }
        });
        remote.forEach((id, person) -> {
            if (person.rooms().contains(room)) {
                members.add(id);
            }
        });
        return members;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
