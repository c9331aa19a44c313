package app.parley.host;

import app.parley.cluster.Audience;
import app.parley.cluster.ClusterBus;
import app.parley.cluster.ClusterMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is on the cluster's other Parley hosts (docs/PROTOCOL.md §19.1), so that the people list,
 * room members, unique names and direct messages by socket id span the cluster. Each host tells
 * the others, as the server-side event {@value #EVENT} in the stream (so in order with the
 * messages, and kept while Redis is away from a host): each batch of its presence changes, and
 * every {@link #SNAPSHOT_SECONDS} seconds all its people, which also says it is alive. A host not
 * heard from for {@link #SILENT_SECONDS} seconds is gone with its people; one that stops says
 * {@code bye}. Node servers of the cluster ignore the event (no server-side listener has it).
 *
 * <p>A Node server's sockets are asked for instead, with the adapter's own {@code fetchSockets},
 * every {@link #SNAPSHOT_SECONDS} seconds: each becomes a person with no name, whose user is its
 * socket ({@code s:<id>}), in its rooms, until an answer no longer lists it or its server stops
 * answering.
 *
 * <p>Called on the bus's reading thread (what others say) and the presence timer (what this
 * host says); the state is guarded by this object.
 */
final class ClusterPeople implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPeople.class);
    static final String EVENT = "parley:presence";
    /**
     * The flag on this host's {@code fetchSockets}: it wants the Node servers' sockets only (a Parley
     * host's people come with its presence), so Parley hosts answer it with none. Node ignores it.
     */
    static final String NODE_SOCKETS_ONLY = "parleyNodeSocketsOnly";

    static final long SNAPSHOT_SECONDS = 10;
    static final long SILENT_SECONDS = 3 * SNAPSHOT_SECONDS;
    /** People per snapshot part: a part stays far below what a server reads of one entry. */
    private static final int PART = 200;
    /** A Node socket id (base64id: 15 random bytes, URL-safe base64): nothing else becomes a person. */
    private static final java.util.regex.Pattern NODE_SOCKET_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{20}");
    /** Most sockets taken from one Node server's answer, and most rooms from one socket's. */
    private static final int MAX_NODE_SOCKETS = 10_000;

    private static final int MAX_NODE_ROOMS = 100;

    private final Presence presence;
    private final Names names;
    private final ClusterBus bus;
    /** This host's id in the cluster: it settles a name two hosts granted at once. */
    private final String uid;
    /** Tells a socket of this host's that gave up its name to another host's earlier claim. */
    private final java.util.function.Consumer<Names.Yielded> yielded;
    /** Each other host (by its cluster uid): its people by socket id, when it was last heard, its snapshot under way. */
    private final Map<String, Server> servers = new HashMap<>();
    /** Each Node server (by its uid) that answered the last asks: its sockets as people. */
    private final Map<String, Server> nodeServers = new HashMap<>();

    private ScheduledFuture<?> ticking;
    private long epoch;

    private static final class Server {
        final String uid;
        final Map<String, Presence.RemotePerson> people = new LinkedHashMap<>();
        long heardNanos = System.nanoTime();
        long snapshotEpoch = -1;
        final Map<String, Presence.RemotePerson> snapshot = new LinkedHashMap<>();
        final Set<Integer> partsSeen = new java.util.HashSet<>();
        /** Since when each person of the snapshot under way has held their name. */
        final Map<String, Long> snapshotSince = new HashMap<>();

        Server(String uid) {
            this.uid = uid;
        }
    }

    ClusterPeople(
            Presence presence,
            Names names,
            ClusterBus bus,
            String uid,
            java.util.function.Consumer<Names.Yielded> yielded) {
        this.presence = presence;
        this.names = names;
        this.bus = bus;
        this.uid = uid;
        this.yielded = yielded;
    }

    /** Says hello (the others answer with their snapshots), then tells this host's changes and snapshots. */
    void start(ScheduledExecutorService timer) {
        presence.tellCluster(changes -> say(Map.of("op", "delta", "changes", changes)));
        say(Map.of("op", "hello"));
        snapshot();
        ticking = timer.scheduleWithFixedDelay(this::tick, SNAPSHOT_SECONDS, SNAPSHOT_SECONDS, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            snapshot();
            forgetSilentServers();
            bus.fetchSockets(
                            new Audience(List.of(), List.of(), Map.of(NODE_SOCKETS_ONLY, true)),
                            java.time.Duration.ofSeconds(SNAPSHOT_SECONDS / 2))
                    .thenAccept(this::nodeSockets);
        } catch (RuntimeException e) {
            LOG.warn("Cluster presence: {}", e.toString());
        }
    }

    /** The other servers' answers to fetchSockets: the Node servers' sockets become people. */
    private synchronized void nodeSockets(Map<String, List<Map<String, Object>>> answers) {
        answers.forEach((uid, sockets) -> {
            if (servers.containsKey(uid)) {
                return; // a Parley host: its people come with its presence, names and all
            }
            Server server = nodeServers.computeIfAbsent(uid, Server::new);
            server.heardNanos = System.nanoTime();
            Map<String, Presence.RemotePerson> now = new LinkedHashMap<>();
            for (Map<String, Object> socket : sockets) {
                String id = text(socket.get("id"));
                if (now.size() >= MAX_NODE_SOCKETS) {
                    break;
                }
                if (id == null || !NODE_SOCKET_ID.matcher(id).matches()) {
                    continue;
                }
                Set<String> rooms = new LinkedHashSet<>();
                if (socket.get("rooms") instanceof List<?> list) {
                    for (Object room : list) {
                        if (room instanceof String r
                                && !r.equals(id)
                                && rooms.size() < MAX_NODE_ROOMS
                                && RoomRules.checkJoinable(r).isEmpty()) {
                            rooms.add(r);
                        }
                    }
                }
                now.put(id, new Presence.RemotePerson(id, "s:" + id, null, rooms));
            }
            reconcile(server, now, Map.of());
        });
    }

    /** All this host's people, in parts, under the presence lock so no change goes out between them. */
    private void snapshot() {
        presence.locked(() -> {
            List<Map<String, Object>> people = presence.localPeople();
            int parts = Math.max(1, (people.size() + PART - 1) / PART);
            long mine = ++epoch;
            for (int part = 0; part < parts; part++) {
                List<Map<String, Object>> slice =
                        people.subList(part * PART, Math.min(people.size(), (part + 1) * PART));
                say(Map.of("op", "snapshot", "epoch", mine, "part", part, "parts", parts, "people", slice));
            }
        });
    }

    private CompletableFuture<Void> say(Map<String, Object> what) {
        return bus.publish(new ClusterMessage.ServerSideEmit(List.of(EVENT, what), null));
    }

    /** What another host said; anything this version cannot read is skipped. */
    synchronized void heard(String from, List<Object> packet) {
        if (packet.size() < 2 || !EVENT.equals(packet.get(0)) || !(packet.get(1) instanceof Map<?, ?> what)) {
            return;
        }
        if (nodeServers.containsKey(from)) {
            forget(nodeServers, from); // taken for a Node server before its presence came: it is a Parley host
        }
        Server server = servers.computeIfAbsent(from, Server::new);
        server.heardNanos = System.nanoTime();
        switch (String.valueOf(what.get("op"))) {
            case "hello" -> snapshot();
            case "bye" -> forget(servers, from);
            case "delta" -> {
                if (what.get("changes") instanceof List<?> changes) {
                    for (Object change : changes) {
                        if (change instanceof Map<?, ?> c) {
                            apply(server, c);
                        }
                    }
                }
            }
            case "snapshot" -> snapshotPart(server, what);
            default -> {}
        }
    }

    private void apply(Server server, Map<?, ?> change) {
        String id = text(change.get("id"));
        if (id == null) {
            return;
        }
        switch (String.valueOf(change.get("op"))) {
            case "join" ->
                arrive(
                        server,
                        new Presence.RemotePerson(
                                id, text(change.get("user")), text(change.get("name")), new LinkedHashSet<>()),
                        millis(change.get("since")));
            case "leave" -> leave(server, id);
            case "name" -> {
                Presence.RemotePerson person = server.people.get(id);
                String name = text(change.get("name"));
                if (person != null && name != null) {
                    rename(server, person, name, millis(change.get("since")));
                }
            }
            case "room" -> {
                Presence.RemotePerson person = server.people.get(id);
                String room = text(change.get("room"));
                if (person != null && room != null) {
                    boolean in = Boolean.TRUE.equals(change.get("in"));
                    if (in) {
                        person.rooms().add(room);
                    } else {
                        person.rooms().remove(room);
                    }
                    presence.remoteRoom(id, room, in);
                }
            }
            default -> {}
        }
    }

    private void snapshotPart(Server server, Map<?, ?> what) {
        if (!(what.get("epoch") instanceof Number epochNumber)
                || !(what.get("part") instanceof Number part)
                || !(what.get("parts") instanceof Number parts)
                || !(what.get("people") instanceof List<?> people)) {
            return;
        }
        if (server.snapshotEpoch != epochNumber.longValue()) {
            server.snapshotEpoch = epochNumber.longValue();
            server.snapshot.clear();
            server.snapshotSince.clear();
            server.partsSeen.clear();
        }
        for (Object item : people) {
            if (item instanceof Map<?, ?> p && text(p.get("id")) != null) {
                Set<String> rooms = new LinkedHashSet<>();
                if (p.get("rooms") instanceof List<?> list) {
                    list.forEach(room -> {
                        if (room instanceof String r) {
                            rooms.add(r);
                        }
                    });
                }
                String id = text(p.get("id"));
                server.snapshot.put(id, new Presence.RemotePerson(id, text(p.get("user")), text(p.get("name")), rooms));
                server.snapshotSince.put(id, millis(p.get("since")));
            }
        }
        server.partsSeen.add(part.intValue());
        if (server.partsSeen.size() == parts.intValue()) {
            reconcile(server, new LinkedHashMap<>(server.snapshot), new HashMap<>(server.snapshotSince));
            server.snapshot.clear();
            server.snapshotSince.clear();
            server.partsSeen.clear();
        }
    }

    /** Makes what is known of {@code server} what its snapshot says, telling the differences as changes. */
    private void reconcile(Server server, Map<String, Presence.RemotePerson> now, Map<String, Long> since) {
        for (String id : new ArrayList<>(server.people.keySet())) {
            if (!now.containsKey(id)) {
                leave(server, id);
            }
        }
        now.forEach((id, person) -> {
            Presence.RemotePerson known = server.people.get(id);
            long heldSince = since.getOrDefault(id, 0L);
            if (known == null) {
                arrive(server, person, heldSince);
                return;
            }
            if (person.name() != null && !person.name().equals(known.name())) {
                rename(server, known, person.name(), heldSince);
            }
            for (String room : new ArrayList<>(known.rooms())) {
                if (!person.rooms().contains(room)) {
                    known.rooms().remove(room);
                    presence.remoteRoom(id, room, false);
                }
            }
            for (String room : person.rooms()) {
                if (known.rooms().add(room)) {
                    presence.remoteRoom(id, room, true);
                }
            }
        });
    }

    private void arrive(Server server, Presence.RemotePerson person, long since) {
        if (person.user() == null || server.people.containsKey(person.id())) {
            return;
        }
        server.people.put(person.id(), person);
        if (person.name() != null) {
            hold(server, person.user(), person.name(), since);
        }
        presence.remoteArrived(person.id(), person.user(), person.name(), Set.copyOf(person.rooms()));
    }

    /** Records another host's name; a socket here that held it too, and claimed it later, gives way. */
    private void hold(Server server, String user, String name, long since) {
        for (Names.Yielded gaveWay : names.holdRemote(user, name, since, server.uid, uid)) {
            LOG.info(
                    "Cluster: \"{}\" was granted on host {} first; a socket here takes \"{}\"",
                    gaveWay.lost(),
                    server.uid,
                    gaveWay.now());
            yielded.accept(gaveWay);
        }
    }

    private void rename(Server server, Presence.RemotePerson person, String name, long since) {
        if (person.name() != null) {
            names.releaseRemote(person.name());
        }
        hold(server, person.user(), name, since);
        Presence.RemotePerson renamed = new Presence.RemotePerson(person.id(), person.user(), name, person.rooms());
        server.people.put(person.id(), renamed);
        presence.remoteRenamed(person.id(), name);
    }

    private void leave(Server server, String id) {
        Presence.RemotePerson gone = server.people.remove(id);
        if (gone != null) {
            if (gone.name() != null) {
                names.releaseRemote(gone.name());
            }
            presence.remoteLeft(id);
        }
    }

    private synchronized void forgetSilentServers() {
        long now = System.nanoTime();
        for (Map<String, Server> known : List.of(servers, nodeServers)) {
            for (String uid : new ArrayList<>(known.keySet())) {
                if (now - known.get(uid).heardNanos > TimeUnit.SECONDS.toNanos(SILENT_SECONDS)) {
                    LOG.info("Cluster: server {} not heard for {} s; its people are gone", uid, SILENT_SECONDS);
                    forget(known, uid);
                }
            }
        }
    }

    private void forget(Map<String, Server> known, String uid) {
        Server server = known.remove(uid);
        if (server != null) {
            for (String id : new ArrayList<>(server.people.keySet())) {
                leave(server, id);
            }
        }
    }

    /** Whether {@code socketId} is a person on another Parley host of the cluster now. */
    boolean isPresent(String socketId) {
        return presence.remotePerson(socketId).isPresent();
    }

    /** The user of another host's socket, if it is one. */
    Optional<String> userOf(String socketId) {
        return presence.remotePerson(socketId).map(Presence.RemotePerson::user);
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    /** Epoch millis from a Number, or 0 for none. */
    private static long millis(Object value) {
        return value instanceof Number n && n.longValue() > 0 ? n.longValue() : 0;
    }

    /** Says goodbye, so the others drop this host's people now rather than when it falls silent. */
    @Override
    public void close() {
        if (ticking != null) {
            ticking.cancel(false);
        }
        try {
            say(Map.of("op", "bye")).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Cluster: bye not sent: {}", e.toString());
        }
    }
}
