package app.parley.host;

import app.parley.cluster.ClusterBus;
import app.parley.cluster.ClusterMessage;
import app.parley.engine.ThrottledLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection state recovery across a cluster's Parley hosts (docs/PROTOCOL.md §16.1). A host that
 * keeps a lost socket's session tells the others, as the server-side event {@value #EVENT} in the
 * stream, what the socket had reached in each conversation it may read, and which of its last
 * messages each offset it was sent stands for; the socket may then come back on any of them. Only
 * the SHA-256 of the pid travels, so what is in Redis cannot claim a session.
 *
 * <p>Offsets are this host's own routing positions ({@link RoutedLog}), which mean nothing
 * elsewhere: so the session carries, per conversation, the seq {@link LiveOrder} had delivered
 * here when it was kept (lowered to just before any message delivered after the socket's last
 * event), and the conversation and seq of the last {@link #TAIL} messages sent to it. The host it
 * comes back to lowers those seqs to just before each message after the client's offset, and
 * replays every conversation from there as a Parley resume does (by seq, exact across hosts).
 */
final class RecoveryAcrossHosts {
    static final String EVENT = "parley:recovery";
    /** Messages before the last sent whose offsets a session can still name: those a dropped transport may not have delivered. */
    static final int TAIL = 128;
    /** Positions looked at for them at most, so a keep never holds routing for long. */
    private static final int SCAN = 8_192;
    /** Messages routed after the socket was lost and before its session was kept, at most. */
    private static final int AFTER_LOSS = 8_192;
    /**
     * How far before the loss the scan for what never reached the socket begins: a message numbered
     * just before the loss may have been queued for it just after.
     */
    private static final int LOSS_SLACK = 1_024;
    /** Conversations a session may name: Everyone, a person's rooms and direct conversations. */
    private static final int MAX_CONVERSATIONS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryAcrossHosts.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    /** A session kept by another host: {@code cut} as it stood at its last event, {@code tail} oldest first. */
    record Portable(
            Recovery.Kept kept,
            long at,
            Map<String, Long> cut,
            List<RoutedLog.Entry> tail,
            boolean whole,
            long deadlineNanos) {
        /**
         * What the client had reached in each conversation, given the offset it sent back; null when
         * the offset is not one it was sent, or is older than the tail.
         */
        Map<String, Long> reachedAt(Object offset) {
            long given;
            if (offset == null) {
                given = kept.start(); // nothing received since it started
            } else if (offset instanceof String text
                    && Recovery.OFFSET.matcher(text).matches()) {
                given = Long.parseLong(text);
            } else {
                return null;
            }
            // Sent nothing since it started (its last offset, "0" or where a recovery left it, is older).
            long last = Math.max(kept.lastSent(), kept.start());
            if (given > last || kept.strict() && (offset == null || given <= kept.start())) {
                return null; // strict: only an offset past its going live (Recovery.Kept#strict)
            }
            boolean named = given == last
                    || given <= kept.start() && whole && !kept.strict()
                    || tail.stream().anyMatch(e -> e.position() == given);
            if (!named) {
                return null;
            }
            Map<String, Long> reached = new LinkedHashMap<>(cut);
            for (RoutedLog.Entry e : tail) {
                if (e.position() > given) {
                    reached.merge(e.conversation(), e.seq() - 1, Math::min);
                }
            }
            return reached;
        }
    }

    private final ClusterBus bus;
    private final LiveOrder order;
    private final RoutedLog routed;
    private final long windowNanos;
    /** Drops this host's own kept session by key: another host took it. */
    private final Consumer<String> takenElsewhere;
    /** Other hosts' sessions by key, oldest first. Guarded by itself. */
    private final LinkedHashMap<String, Portable> others = new LinkedHashMap<>();

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** What was said and not yet written to Redis: a host stopping waits for it ({@link #awaitTold}). */
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    RecoveryAcrossHosts(
            ClusterBus bus, LiveOrder order, RoutedLog routed, long windowNanos, Consumer<String> takenElsewhere) {
        this.bus = bus;
        this.order = order;
        this.routed = routed;
        this.windowNanos = windowNanos;
        this.takenElsewhere = takenElsewhere;
    }

    /** The key a pid is known by across the cluster: its SHA-256, in hex. */
    static String keyOf(String pid) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(pid.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * This host kept {@code k}: tells the others where it stood. Nothing is told when more was
     * routed between its last event and now than a session carries: it recovers here only.
     */
    void kept(String key, Recovery.Kept k) {
        Map<String, Object> session = new LinkedHashMap<>();
        order.exclusively(() -> {
            // Under LiveOrder's lock nothing is delivered, so positions and delivered seqs agree.
            Map<String, Long> cut = new LinkedHashMap<>();
            cut.put(Conversations.EVERYONE, order.delivered(Conversations.EVERYONE));
            for (String room : k.rooms()) {
                cut.put(Conversations.room(room), order.delivered(Conversations.room(room)));
            }
            cut.putAll(order.deliveredDirectsOf(k.user()));
            long latest = routed.latest();
            long last = Math.max(k.lastSent(), k.start());
            int[] afterLoss = {0};
            boolean known = routed.scanBack(latest, Math.max(last, k.lostAt() - LOSS_SLACK), e -> {
                if (readable(e.conversation(), k)) {
                    cut.merge(e.conversation(), e.seq() - 1, Math::min);
                }
                return ++afterLoss[0] <= AFTER_LOSS;
            });
            if (!known || cut.size() > MAX_CONVERSATIONS) {
                return;
            }
            List<RoutedLog.Entry> tail = new ArrayList<>();
            int[] scanned = {0};
            boolean whole = routed.scanBack(last, k.start(), e -> {
                if (readable(e.conversation(), k)) {
                    tail.add(e);
                }
                return tail.size() < TAIL && ++scanned[0] < SCAN;
            });
            List<Object> entries = new ArrayList<>();
            for (int i = tail.size() - 1; i >= 0; i--) {
                RoutedLog.Entry e = tail.get(i);
                entries.add(List.of(e.position(), e.conversation(), e.seq()));
            }
            session.put("op", "kept");
            session.put("key", key);
            session.put("id", k.id().toString());
            session.put("nsp", k.nsp());
            session.put("user", k.user());
            if (k.name() != null) {
                session.put("name", k.name());
            }
            session.put("rooms", k.rooms());
            session.put("start", k.start());
            session.put("lastSent", k.lastSent());
            session.put("at", System.currentTimeMillis());
            session.put("ttl", Math.max(0, (k.deadlineNanos() - System.nanoTime()) / 1_000_000));
            session.put("cut", cut);
            session.put("tail", entries);
            session.put("whole", whole);
            session.put("strict", k.strict());
        });
        if (!session.isEmpty()) {
            say(session);
        }
    }

    /** This host took back a session, its own or another's: the others forget it. */
    void taken(String key) {
        say(Map.of("op", "taken", "key", key));
    }

    /** Another host's session for {@code key}, removed (it is used once); null when none is known or it expired. */
    Portable take(String key) {
        synchronized (others) {
            Portable p = others.remove(key);
            return p == null || System.nanoTime() - p.deadlineNanos() > 0 ? null : p;
        }
    }

    /** The user of socket {@code id} when another host keeps its session, within its window. */
    Optional<String> awayUser(UUID id) {
        long now = System.nanoTime();
        synchronized (others) {
            for (Portable p : others.values()) {
                if (p.kept().id().equals(id) && now - p.deadlineNanos() <= 0) {
                    return Optional.of(p.kept().user());
                }
            }
        }
        return Optional.empty();
    }

    /** A session {@link #take}n by a CONNECT that may not have it: kept again for its own client. */
    void putBack(String key, Portable p) {
        synchronized (others) {
            others.putIfAbsent(key, p);
        }
    }

    /** What another host said; anything this version cannot read is skipped and logged once per reason. */
    void heard(String from, Object said) {
        if (!(said instanceof Map<?, ?> what)
                || !(what.get("key") instanceof String key)
                || !KEY.matcher(key).matches()) {
            skip(from, "no session key");
            return;
        }
        switch (String.valueOf(what.get("op"))) {
            case "kept" -> {
                Portable p = read(key, what);
                if (p == null) {
                    skip(from, "a kept session this version cannot read");
                    return;
                }
                synchronized (others) {
                    others.remove(key);
                    others.put(key, p);
                    Iterator<String> oldest = others.keySet().iterator();
                    while (others.size() > Recovery.MAX_KEPT && oldest.hasNext()) {
                        oldest.next();
                        oldest.remove();
                    }
                }
            }
            case "taken" -> {
                synchronized (others) {
                    others.remove(key);
                }
                takenElsewhere.accept(key);
            }
            default -> skip(from, "an unknown op");
        }
    }

    /** Drops other hosts' sessions past their window. */
    void sweep() {
        long now = System.nanoTime();
        synchronized (others) {
            others.values().removeIf(p -> now - p.deadlineNanos() > 0);
        }
    }

    /** Other hosts' sessions known now, for tests. */
    int othersCount() {
        synchronized (others) {
            return others.size();
        }
    }

    private Portable read(String key, Map<?, ?> what) {
        try {
            UUID id = UUID.fromString((String) what.get("id"));
            String nsp = (String) what.get("nsp");
            String user = (String) what.get("user");
            Object name = what.get("name");
            List<String> rooms = new ArrayList<>();
            for (Object room : (List<?>) what.get("rooms")) {
                rooms.add((String) room);
            }
            long start = ((Number) what.get("start")).longValue();
            long lastSent = ((Number) what.get("lastSent")).longValue();
            long at = ((Number) what.get("at")).longValue();
            long ttlNanos = Math.min(windowNanos, Math.max(0, ((Number) what.get("ttl")).longValue()) * 1_000_000);
            Map<?, ?> givenCut = (Map<?, ?>) what.get("cut");
            List<?> givenTail = (List<?>) what.get("tail");
            if (nsp == null
                    || user == null
                    || (name != null && !(name instanceof String))
                    || rooms.size() > MAX_CONVERSATIONS
                    || givenCut.size() > MAX_CONVERSATIONS
                    || givenTail.size() > TAIL) {
                return null;
            }
            if (rooms.stream().anyMatch(room -> RoomRules.checkJoinable(room).isPresent())) {
                return null; // only rooms join-room would let it into: never another socket's own
            }
            Map<String, Long> cut = new HashMap<>();
            givenCut.forEach((c, seq) -> cut.put(conversation(c), ((Number) seq).longValue()));
            List<RoutedLog.Entry> tail = new ArrayList<>();
            for (Object entry : givenTail) {
                List<?> e = (List<?>) entry;
                tail.add(new RoutedLog.Entry(
                        ((Number) e.get(0)).longValue(), conversation(e.get(1)), ((Number) e.get(2)).longValue()));
            }
            long deadline = System.nanoTime() + ttlNanos;
            Recovery.Kept kept = new Recovery.Kept(
                    id,
                    null,
                    nsp,
                    user,
                    (String) name,
                    List.copyOf(rooms),
                    start,
                    lastSent,
                    lastSent,
                    Boolean.TRUE.equals(what.get("strict")),
                    deadline);
            return new Portable(kept, at, cut, List.copyOf(tail), Boolean.TRUE.equals(what.get("whole")), deadline);
        } catch (RuntimeException e) { // a missing field, a wrong type, a malformed id
            return null;
        }
    }

    /** A conversation key as the store names them ({@link Conversations}); anything else is unreadable. */
    private static String conversation(Object key) {
        if (key instanceof String c
                && c.length() <= 600
                && (c.equals(Conversations.EVERYONE) || c.startsWith("#") || c.startsWith("@"))) {
            return c;
        }
        throw new IllegalArgumentException("not a conversation: " + key);
    }

    private void say(Map<String, Object> what) {
        CompletableFuture<Void> told = bus.publish(new ClusterMessage.ServerSideEmit(List.of(EVENT, what), null));
        inFlight.add(told);
        told.whenComplete((done, failure) -> inFlight.remove(told));
    }

    /** Waits (at most {@code millis}) until everything said so far is in Redis, or failed to get there. */
    void awaitTold(long millis) {
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // failed or slow: the sessions not told recover on this host only, which is stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean readable(String conversation, Recovery.Kept k) {
        return Conversations.readable(conversation, k.user(), k.rooms()::contains);
    }

    /** Each reason (a handful, all fixed text) is logged the first time only, as the stream's own are. */
    private void skip(String from, String reason) {
        if (reported.add(reason)) {
            LOG.warn("Cluster: skipped {} from server {}: {} (said once)", EVENT, ThrottledLog.peerText(from), reason);
        }
    }
}
