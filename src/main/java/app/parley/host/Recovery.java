package app.parley.host;

import app.parley.cluster.ClusterBus;
import app.parley.engine.SocketRecovery;
import com.corundumstudio.socketio.SocketIOClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The host's side of Socket.IO connection state recovery (docs/PROTOCOL.md §16): which sockets get
 * a private session id, what is kept of one that lost its connection, and for how long. An offset
 * is a message's position in the order this host routed messages ({@link Positions}); what a
 * recovered socket missed is replayed from the store by {@link Replay}, the replay Parley's own
 * resume uses ({@link Admission}).
 *
 * <p>A session is kept only for a socket that had gone live (so where it started is known), only
 * after a disconnect its client may recover from, and only once its disconnect has run, so its id
 * is free again. It is used once, expires after the window, and at most {@link #MAX_KEPT} are kept
 * (the oldest go first).
 */
final class Recovery implements SocketRecovery {
    /** Kept sessions at most: a flood of dropped connections costs bounded memory. */
    static final int MAX_KEPT = 10_000;
    /** What a socket's events carry until a message names a position: "nothing received yet". */
    static final String NOTHING = "0";

    /** An offset as a client may send it back: digits, 18 at most (§16). */
    static final Pattern OFFSET = Pattern.compile("[0-9]{1,18}");

    private static final int PID_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What is kept of a socket that lost its connection. {@code lostAt}: the newest position when
     * it was lost. {@code strict}: it had recovered from another host, whose replay carried one
     * offset for all it sent, so only an offset past {@code start} says what it got.
     */
    record Kept(
            UUID id,
            String pid,
            String nsp,
            String user,
            String name,
            List<String> rooms,
            long start,
            long lastSent,
            long lostAt,
            boolean strict,
            long deadlineNanos) {}

    /**
     * A kept session taken back by a CONNECT, waiting for its socket to be admitted; {@code from}:
     * replay after it. {@code across}: for a session another host kept, what the socket had reached
     * in each conversation (its replay goes by seq, {@link RecoveryAcrossHosts}); null for this host's own.
     */
    record Restoring(Kept kept, long from, long deadlineNanos, Resume across) {}

    /** A socket holding a pid: where it started hearing live traffic, -1 until it has. */
    private static final class Live {
        final String pid;
        final String nsp;
        volatile long start = -1;
        /** Recovered from another host ({@link Kept#strict}). */
        volatile boolean strict;
        /** In its rooms, hearing live traffic: every readable message not its own was queued to it. */
        volatile boolean live;

        Live(String pid, String nsp) {
            this.pid = pid;
            this.nsp = nsp;
        }
    }

    private final long windowNanos;
    private final Positions positions;
    private final Guests guests;
    private final Presence presence;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();
    /** Lost sockets whose disconnect has not run yet: their id is not free. */
    private final Map<UUID, Kept> losing = new ConcurrentHashMap<>();
    /** By the pid's key ({@link RecoveryAcrossHosts#keyOf}), oldest first. Guarded by itself. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();

    private final Map<UUID, Restoring> restoring = new ConcurrentHashMap<>();
    /** Set when the host stops: no session is taken back any more, so none is used up on the way out. */
    private volatile boolean stopping;
    /** The cluster's other Parley hosts, when there are any to recover on. */
    private volatile RecoveryAcrossHosts across;

    /**
     * @param window how long a session is kept; zero turns recovery off
     * @param positions what offsets count
     * @param timer sweeps expired sessions
     */
    Recovery(Duration window, Positions positions, Guests guests, Presence presence, ScheduledExecutorService timer) {
        this.windowNanos = window.toNanos();
        this.positions = positions;
        this.guests = guests;
        this.presence = presence;
        if (windowNanos > 0) {
            long every = Math.max(1_000, window.toMillis() / 4);
            try {
                timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the host is stopping
            }
        }
    }

    boolean isOn() {
        return windowNanos > 0;
    }

    /** The host is stopping: sessions are kept (and told to the cluster) but no longer taken back here. */
    void stopping() {
        stopping = true;
    }

    /** Sessions kept here may be taken back on the cluster's other Parley hosts, and theirs here. */
    RecoveryAcrossHosts acrossHosts(ClusterBus bus, LiveOrder order, RoutedLog routed) {
        RecoveryAcrossHosts hosts = new RecoveryAcrossHosts(bus, order, routed, windowNanos, this::forget);
        across = hosts;
        return hosts;
    }

    /**
     * Parley's own clients (those asking for {@code caughtUp} or sending a {@code resume}) get no
     * pid: their resume covers more (host restarts, every conversation of their user) and they
     * would read the offset as an argument they do not expect.
     */
    @Override
    public Grant grant(SocketIOClient socket, Map<String, Object> auth) {
        if (!isOn() || auth.containsKey("caughtUp") || auth.containsKey("resume")) {
            return null;
        }
        if (!socket.getNamespace().getName().isEmpty()) {
            return null; // only the chat's namespace keeps what a session needs (guest, rooms, history)
        }
        UUID id = socket.getSessionId();
        Restoring back = restoring.get(id);
        if (back != null && !back.kept().user().equals(Users.of(auth, id))) {
            // Another user's session (a different auth.user): nothing of it is theirs, and the
            // client is told so by a new pid (recovered false).
            restoring.remove(id);
            back = null;
        }
        String pid = back != null ? back.kept().pid() : newPid();
        Live l = new Live(pid, socket.getNamespace().getName());
        if (back != null && back.across() == null) {
            // Everything up to here reached it before: should it drop again, even during its replay,
            // it recovers from here or from what it got since. One recovering from another host
            // starts here once its replay has ended (wentLive): until then a drop is not kept.
            l.start = back.from();
        }
        l.strict = back != null && back.across() != null;
        live.put(id, l);
        return new Grant(pid, back != null ? Long.toString(back.from()) : NOTHING);
    }

    @Override
    public UUID takeBack(String nsp, Object pid, Object offset) {
        if (!isOn() || stopping || !(pid instanceof String given) || given.length() > 64) {
            return null;
        }
        String key = RecoveryAcrossHosts.keyOf(given);
        UUID back;
        synchronized (kept) {
            Kept k = kept.get(key);
            if (k == null) {
                back = null;
            } else if (System.nanoTime() - k.deadlineNanos() > 0) {
                kept.remove(key);
                return null;
            } else {
                back = takeBackKept(key, k, nsp, offset);
                if (back == null) {
                    return null;
                }
            }
        }
        if (back == null) {
            return takeBackFromAnotherHost(key, given, nsp, offset);
        }
        RecoveryAcrossHosts hosts = across;
        if (hosts != null) {
            hosts.taken(key); // the other hosts forget their copy
        }
        return back;
    }

    /** Under the lock of {@code kept}: {@code k}'s id if the CONNECT may take it back (then it is used up), else null. */
    private UUID takeBackKept(String key, Kept k, String nsp, Object offset) {
        long from;
        if (k.strict()
                && !(offset instanceof String text
                        && OFFSET.matcher(text).matches()
                        && Long.parseLong(text) > k.start())) {
            // Its replay from another host carried one offset, at most its start: only a message
            // sent after it went live says the replay arrived whole.
            return null;
        }
        if (offset == null) {
            from = k.start(); // nothing received yet: where it started (Node refuses this)
        } else if (offset instanceof String text && OFFSET.matcher(text).matches()) {
            long claimed = Long.parseLong(text);
            if (claimed > k.lastSent() || claimed != 0 && claimed < k.start() && !positions.covers(claimed)) {
                return null; // never sent to it: not its offset (another host's, or an earlier run's)
            }
            from = Math.max(claimed, k.start());
        } else {
            return null;
        }
        if (!k.nsp().equals(nsp) || guests.find(k.id()).isPresent() || !positions.covers(from)) {
            return null; // another namespace's, its id in use, or more was routed since than is remembered
        }
        kept.remove(key);
        restoring.put(k.id(), new Restoring(k, from, System.nanoTime() + windowNanos, null));
        return k.id();
    }

    /** A pid this host did not keep: perhaps another host of the cluster did (docs/PROTOCOL.md §16.1). */
    private UUID takeBackFromAnotherHost(String key, String pid, String nsp, Object offset) {
        RecoveryAcrossHosts hosts = across;
        RecoveryAcrossHosts.Portable p = hosts == null ? null : hosts.take(key);
        if (p == null) {
            return null;
        }
        Map<String, Long> reached = p.reachedAt(offset);
        Kept o = p.kept();
        if (reached == null || !o.nsp().equals(nsp) || guests.find(o.id()).isPresent()) {
            hosts.putBack(key, p); // as on its own host: kept for its own client
            return null;
        }
        hosts.taken(key); // used once, wherever it is used
        Kept k = new Kept(
                o.id(),
                pid,
                o.nsp(),
                o.user(),
                o.name(),
                o.rooms(),
                o.start(),
                o.lastSent(),
                o.lostAt(),
                o.strict(),
                o.deadlineNanos());
        restoring.put(
                k.id(),
                new Restoring(k, positions.latest(), System.nanoTime() + windowNanos, Resume.of(reached, p.at())));
        return k.id();
    }

    /** Another host took back the session {@code key}: it is not this host's to give again. */
    private void forget(String key) {
        synchronized (kept) {
            kept.remove(key);
        }
    }

    @Override
    public void lost(SocketIOClient socket, String pid, String lastOffset) {
        UUID id = socket.getSessionId();
        Live l = live.get(id);
        if (l == null
                || !l.pid.equals(pid)
                || l.start < 0
                || lastOffset == null
                || !OFFSET.matcher(lastOffset).matches()) {
            return;
        }
        guests.find(id)
                .ifPresent(guest -> losing.put(
                        id,
                        new Kept(
                                id,
                                pid,
                                l.nsp,
                                guest.user(),
                                guest.name(),
                                presence.roomsOf(id),
                                l.start,
                                Long.parseLong(lastOffset),
                                // Where the scan for what never reached it may begin (RecoveryAcrossHosts):
                                // only a live socket was sent everything readable before it; read only in
                                // a cluster, where it costs no store query on this I/O thread.
                                across != null && l.live ? positions.latest() : 0,
                                l.strict,
                                System.nanoTime() + windowNanos)));
    }

    /**
     * The user of {@code socketId} when its socket lost its connection recoverably and its session
     * is kept, here or (in a cluster) by another Parley host, within the window; else empty.
     */
    Optional<String> awayUser(String socketId) {
        if (!RoomRules.looksLikeSocketId(socketId)) {
            return Optional.empty();
        }
        UUID id;
        try {
            id = UUID.fromString(socketId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!id.toString().equals(socketId)) {
            return Optional.empty(); // only the canonical (lower-case) id names a socket, as for one connected
        }
        Kept losingNow = losing.get(id);
        if (losingNow != null) {
            return Optional.of(losingNow.user());
        }
        long now = System.nanoTime();
        synchronized (kept) {
            for (Kept k : kept.values()) {
                if (k.id().equals(id) && now - k.deadlineNanos() <= 0) {
                    return Optional.of(k.user());
                }
            }
        }
        RecoveryAcrossHosts hosts = across;
        return hosts == null ? Optional.empty() : hosts.awayUser(id);
    }

    /** The socket's disconnect ran: a session lost recoverably may be taken back from now on. */
    void disconnected(UUID id) {
        live.remove(id);
        restoring.remove(id);
        Kept k = losing.remove(id);
        if (k == null) {
            return;
        }
        String key = RecoveryAcrossHosts.keyOf(k.pid());
        synchronized (kept) {
            kept.put(key, k);
            Iterator<String> oldest = kept.keySet().iterator();
            while (kept.size() > MAX_KEPT && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        RecoveryAcrossHosts hosts = across;
        if (hosts != null) {
            hosts.kept(key, k);
        }
    }

    /** Whether {@code id} took a session back at its CONNECT and has not been admitted yet. */
    boolean isRestoring(UUID id) {
        return restoring.containsKey(id);
    }

    /** The session {@code id} took back at its CONNECT, once; null for a fresh socket. */
    Restoring restoring(UUID id) {
        Restoring r = restoring.remove(id);
        return r == null || System.nanoTime() - r.deadlineNanos() > 0 ? null : r;
    }

    /**
     * A fresh socket hears live traffic from here, where nothing is routed meanwhile (under the
     * history's lock, or {@link LiveOrder}'s in a cluster). A recovered one keeps where its
     * recovery began: what its replay sent may not have reached it.
     */
    void wentLive(UUID id) {
        Live l = live.get(id);
        if (l != null) {
            if (l.start < 0) {
                l.start = positions.latest();
            }
            l.live = true;
        }
    }

    /** What offsets count here. */
    Positions positions() {
        return positions;
    }

    /** Sessions kept now, for tests of the bounds. */
    int keptCount() {
        synchronized (kept) {
            return kept.size();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        synchronized (kept) {
            kept.values().removeIf(k -> now - k.deadlineNanos() > 0);
        }
        RecoveryAcrossHosts hosts = across;
        if (hosts != null) {
            hosts.sweep();
        }
        restoring.values().removeIf(r -> now - r.deadlineNanos() > 0);
    }

    private static String newPid() {
        byte[] bytes = new byte[PID_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
