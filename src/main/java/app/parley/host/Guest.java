package app.parley.host;

import app.parley.engine.TokenBucket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the host knows about one socket, from its first CONNECT to its disconnect: held in one
 * place ({@link Guests}) so that a disconnect forgets all of it at once. The cross-socket indexes
 * (names held, who is present, shared budgets) stay with {@link Names}, {@link Presence} and
 * {@link ChatBudgets} and read the per-socket facts from here.
 *
 * <p>Written on the socket's I/O thread and read on others: the handshake facts are volatile, the
 * name is written under {@link Names}' lock, the rooms and listening flag are guarded by
 * {@link Presence}'s lock.
 */
final class Guest {
    private final UUID id;
    /** Its own chat-event budget ({@link ChatBudgets}); starts full like one made on first use. */
    private final TokenBucket budget;
    /** Wrong passwords sent on this connection ({@link PasswordGuard}). */
    private final AtomicInteger passwordFailures = new AtomicInteger();
    /** The handshake {@code auth} payload ({@code socket.auth} in Node), when a non-empty one was accepted. */
    private volatile Object handshakeAuth;
    /** Stable across reconnects for Parley clients ({@link Users}); null until its CONNECT is accepted. */
    private volatile String user;
    /** Its nickname, or null. Written under {@link Names}' lock. */
    private volatile String name;
    /**
     * When its user first held that name here (epoch millis; the same for each of the user's
     * sockets with it): in a cluster, the earlier claim keeps a name two hosts granted at once.
     */
    private volatile long nameSince;
    /** The chat rooms it is in (not its own id room). Guarded by {@link Presence}'s lock. */
    private final Set<String> rooms = new LinkedHashSet<>();
    /** Whether it asked for the peers list and so hears of changes. Guarded by {@link Presence}'s lock. */
    private boolean listening;
    /**
     * The join-room / leave-room it sent while its resume is replayed, or null when no replay is
     * under way ({@link Admission}). Guarded by this.
     */
    private List<Runnable> heldMembershipChanges;

    Guest(UUID id, TokenBucket budget) {
        this.id = id;
        this.budget = budget;
    }

    UUID id() {
        return id;
    }

    TokenBucket budget() {
        return budget;
    }

    /** Its CONNECT was accepted with this payload and user. */
    void accepted(Object auth, String acceptedUser) {
        if (auth instanceof Map<?, ?> map && !map.isEmpty()) {
            handshakeAuth = auth;
        }
        user = acceptedUser;
    }

    Object handshakeAuth() {
        return handshakeAuth;
    }

    /** Its user; a socket not (or no longer) accepted is a user of its own ({@link Users}). */
    String user() {
        String known = user;
        return known != null ? known : Users.of(null, id);
    }

    /** Its user as accepted at CONNECT, or null before that. */
    String acceptedUser() {
        return user;
    }

    /** @return how many wrong passwords this connection has sent, this one included */
    int passwordFailed() {
        return passwordFailures.incrementAndGet();
    }

    String name() {
        return name;
    }

    long nameSince() {
        return nameSince;
    }

    /** Only {@link Names}, under its lock. */
    void setName(String granted) {
        setName(granted, 0);
    }

    /** Only {@link Names}, under its lock. */
    void setName(String granted, long since) {
        name = granted;
        nameSince = granted == null ? 0 : since;
    }

    /** Only {@link Presence}, under its lock. */
    Set<String> rooms() {
        return rooms;
    }

    /** Only {@link Presence}, under its lock. */
    boolean isListening() {
        return listening;
    }

    /** Only {@link Presence}, under its lock. */
    void setListening(boolean value) {
        listening = value;
    }

    /**
     * From the CONNECT of a resuming socket until it goes live, its membership changes wait: a
     * reconnecting client rejoins its rooms at once, and applied before its replay's plan a join
     * would let live messages overtake the replay, which the client would then drop as copies.
     */
    synchronized void holdMembershipChanges() {
        heldMembershipChanges = new ArrayList<>();
    }

    /** Keeps {@code change} for {@link #goneLive} while held; false when it may run now. */
    synchronized boolean heldBack(Runnable change) {
        if (heldMembershipChanges == null) {
            return false;
        }
        heldMembershipChanges.add(change);
        return true;
    }

    /** It is live (or its replay failed): what it asked meanwhile, to run now in order. */
    synchronized List<Runnable> goneLive() {
        List<Runnable> held = heldMembershipChanges;
        heldMembershipChanges = null;
        return held == null ? List.of() : held;
    }
}
