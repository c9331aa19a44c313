package app.parley.host;

import app.parley.store.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster, each conversation's messages reach this host's sockets in seq order
 * (docs/PROTOCOL.md §19.2). Hosts number a conversation's messages from one shared store, gap-free
 * in commit order, but each routes its own at once while another's come through Redis a moment
 * later: without this, a socket here would get seq 11 (stored here) before 10 (stored on another
 * host), and a client that keeps the highest seq it has seen would take 10 for a repeat.
 *
 * <p>So a message that comes before its predecessor is held. When the gap is not filled within
 * {@link #WAIT_MILLIS} (the host that stored the missing message crashed before telling the
 * others, or Redis lost it), the missing messages are read from the store and delivered, and the
 * held ones after them. Every conversation starts from its highest seq when this host started:
 * whatever is stored after that, this host either hears of or reads.
 *
 * <p>A message with nothing after it leaves no gap to notice: so every {@link #SWEEP_MILLIS} the
 * store's highest seqs are compared with what was delivered, and a conversation still behind at
 * the next look is read from the store too (the last message a crashed host stored, entries a
 * Redis restart lost).
 */
final class LiveOrder {
    private static final Logger LOG = LoggerFactory.getLogger(LiveOrder.class);
    /** How long a gap is waited for before the store is asked; far above a Redis round trip. */
    static final long WAIT_MILLIS = 2_000;
    /** How often the store's highest seqs are compared with what was delivered. */
    static final long SWEEP_MILLIS = 2_000;
    /** Messages read from the store per gap at most; a longer gap is read in turns. */
    private static final int READ_LIMIT = 500;

    private final History history;
    private final ScheduledExecutorService timer;
    private final Consumer<StoredMessage> deliverStored;
    /** The seq each conversation stood at when this host started; read once, on the history thread. */
    private final Map<String, Long> startedAt;

    private final Map<String, Line> lines = new HashMap<>();
    /** The direct conversations among {@link #lines} of each user, for {@link #deliveredDirectsOf}. */
    private final Map<String, Set<String>> directsByUser = new HashMap<>();

    /** One conversation: the seq delivered next, what came early, and the timer waiting for the gap. */
    private static final class Line {
        long next;
        final TreeMap<Long, Runnable> held = new TreeMap<>();
        ScheduledFuture<?> waiting;
        /** The store's highest seq at the last sweep when it was past {@link #next}, else 0. */
        long behindTo;

        Line(long next) {
            this.next = next;
        }
    }

    /**
     * @param deliverStored delivers a message read from the store to this host's sockets (only
     *                      theirs: the other hosts fill their own gaps)
     */
    LiveOrder(History history, ScheduledExecutorService timer, Consumer<StoredMessage> deliverStored) {
        this.history = history;
        this.timer = timer;
        this.deliverStored = deliverStored;
        this.startedAt = history.store().latestSeqs();
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        history.readInBackground(() -> history.store().latestSeqs(), this::compare, reason -> {});
    }

    /** Reads what the store has past what was delivered, where that was so at the last sweep too. */
    private synchronized void compare(Map<String, Long> latest) {
        latest.forEach((conversation, seq) -> {
            Line line = line(conversation);
            if (seq < line.next) {
                line.behindTo = 0;
            } else if (line.behindTo == 0 || line.waiting != null) {
                line.behindTo = seq;
            } else {
                long to = line.held.isEmpty() ? line.behindTo + 1 : Math.min(line.held.firstKey(), line.behindTo + 1);
                line.behindTo = 0;
                read(conversation, line.next, to);
            }
        });
    }

    private Line line(String conversation) {
        Line line = lines.get(conversation);
        if (line == null) {
            line = new Line(startedAt.getOrDefault(conversation, 0L) + 1);
            lines.put(conversation, line);
            if (conversation.startsWith("@")) {
                for (String user : conversation.substring(1).split(" ", 2)) {
                    directsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(conversation);
                }
            }
        }
        return line;
    }

    /**
     * Runs {@code work} while no message is delivered here: a socket going live joins its rooms and
     * learns where each conversation stands ({@link #delivered}) in one breath, so every message is
     * either before that (in its replay, or not its to have) or after (live).
     */
    void exclusively(Runnable work) {
        synchronized (this) {
            work.run();
        }
    }

    /** The highest seq of {@code conversation} delivered here so far (or that it started at). */
    synchronized long delivered(String conversation) {
        return line(conversation).next - 1;
    }

    /** {@link #delivered} for each of {@code conversations}. */
    synchronized Map<String, Long> delivered(List<String> conversations) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        conversations.forEach(c -> seqs.put(c, delivered(c)));
        return seqs;
    }

    /**
     * {@link #delivered} for each direct conversation of {@code user} this host delivered in, swept,
     * or was asked about since it started (any other still stands where it did at the start).
     */
    synchronized Map<String, Long> deliveredDirectsOf(String user) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (String conversation : directsByUser.getOrDefault(user, Set.of())) {
            seqs.put(conversation, lines.get(conversation).next - 1);
        }
        return seqs;
    }

    /**
     * {@link #delivered} for those of {@code conversations} whose messages an append may bring
     * ({@link #storedBefore}): not the direct ones, which a sender may have meant for one of the
     * recipient's sockets while the store knows only the user (Redis brings those a moment later).
     */
    synchronized Map<String, Long> fillableFromAppends(List<String> conversations) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (String conversation : conversations) {
            if (!conversation.startsWith("@")) {
                seqs.put(conversation, delivered(conversation));
            }
        }
        return seqs;
    }

    /**
     * What other hosts stored just before an append of this host's, in the conversations
     * {@link #fillableFromAppends} named, as the store answered it ({@link History#routeInOrderWith}):
     * delivered now, in seq order, so this host's own messages after them need not wait for Redis
     * to bring them. Whichever comes second is a repeat, and {@link #offer} drops it; a message
     * that came already and is held keeps its own delivery.
     */
    synchronized void storedBefore(List<StoredMessage> messages) {
        List<StoredMessage> inOrder = new ArrayList<>(messages);
        inOrder.sort(Comparator.comparing((StoredMessage m) -> m.message().conversation())
                .thenComparingLong(StoredMessage::seq));
        for (StoredMessage message : inOrder) {
            String conversation = message.message().conversation();
            if (!line(conversation).held.containsKey(message.seq())) {
                offer(conversation, message.seq(), () -> deliverStored.accept(message));
            }
        }
    }

    /** Runs {@code deliver} when {@code seq} is the conversation's next; holds it until then. */
    synchronized void offer(String conversation, long seq, Runnable deliver) {
        Line line = line(conversation);
        if (seq < line.next) {
            return; // delivered already: read from the store when its gap timed out
        }
        if (seq > line.next) {
            line.held.putIfAbsent(seq, deliver);
            if (line.waiting == null) {
                line.waiting = timer.schedule(() -> gapTimedOut(conversation), WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        run(deliver);
        line.next++;
        drain(line);
    }

    private void drain(Line line) {
        while (!line.held.isEmpty() && line.held.firstKey() <= line.next) {
            Map.Entry<Long, Runnable> first = line.held.pollFirstEntry();
            if (first.getKey() == line.next) {
                run(first.getValue());
                line.next++;
            }
        }
        if (line.held.isEmpty() && line.waiting != null) {
            line.waiting.cancel(false);
            line.waiting = null;
        }
    }

    private void gapTimedOut(String conversation) {
        long from;
        long to;
        synchronized (this) {
            Line line = lines.get(conversation);
            line.waiting = null;
            if (line.held.isEmpty()) {
                return;
            }
            from = line.next;
            to = line.held.firstKey();
        }
        read(conversation, from, to);
    }

    /** Reads seqs {@code from} up to {@code to} (not included) from the store and delivers them in order. */
    private void read(String conversation, long from, long to) {
        int count = (int) Math.min(READ_LIMIT, to - from);
        history.read(
                () -> history.store().after(conversation, from - 1, count),
                found -> fill(conversation, from, to, found),
                reason -> retryLater(conversation, from, to, reason));
    }

    /** The store could not be read (PostgreSQL restarting): the gap is asked for again, never skipped. */
    private synchronized void retryLater(String conversation, long from, long to, String reason) {
        LOG.warn(
                "Cluster: could not read {} #{}..{} for its gap, trying again: {}", conversation, from, to - 1, reason);
        Line line = lines.get(conversation);
        if (!line.held.isEmpty() && line.waiting == null) {
            line.waiting = timer.schedule(() -> gapTimedOut(conversation), WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void fill(String conversation, long from, long to, List<StoredMessage> found) {
        Line line = lines.get(conversation);
        if (line.next != from) {
            drain(line);
            return;
        }
        for (StoredMessage message : found) {
            if (message.seq() == line.next && message.seq() < to) {
                deliverStored.accept(message);
                line.next++;
            }
        }
        if (line.next < to && found.size() < Math.min(READ_LIMIT, to - from)) {
            // Not in the store: never stored (a failed batch gives no seqs in PostgreSQL, so this
            // should not happen), so nobody is held for it any longer.
            LOG.warn("Cluster: {} #{}..{} is not in the store; going on without it", conversation, line.next, to - 1);
            line.next = to;
        }
        drain(line);
        if (!line.held.isEmpty() && line.waiting == null) {
            line.waiting = timer.schedule(() -> gapTimedOut(conversation), 0, TimeUnit.MILLISECONDS);
        } else if (line.held.isEmpty() && found.size() == READ_LIMIT) {
            read(conversation, line.next, to); // a long gap, read in turns
        }
    }

    private static void run(Runnable deliver) {
        try {
            deliver.run();
        } catch (RuntimeException e) {
            LOG.warn("Delivering a message failed: {}", e.toString());
        }
    }
}
