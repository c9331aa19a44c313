package app.parley.host;

import app.parley.store.MessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Recovery positions for a store several hosts write (PostgreSQL, docs/PROTOCOL.md §16): this host
 * numbers every stored message as it routes it to its sockets, its own and other hosts' alike, and
 * remembers which message each number was (its conversation and seq, not its text) for the last
 * {@link #CAPACITY} messages. A replay reads the messages themselves from the store. Each number is
 * taken where routing is already one at a time (the history's lock on a host alone, {@link
 * LiveOrder}'s in a cluster), so numbers follow the order every socket here got its messages in.
 */
final class RoutedLog implements Positions {
    /** Messages remembered: a socket that missed more than this recovers fresh (Node's streams adapter keeps 10,000). */
    static final int CAPACITY = 1 << 17;
    /**
     * Positions start at a random multiple of this, different for each host (and each start), so
     * an offset another host gave a client is never taken for one of this host's (§16.1): 18
     * digits at most, as §16 allows.
     */
    static final long SPAN = 1_000_000_000_000L;

    private final Supplier<MessageStore> store;
    private final String[] conversations;
    private final long[] seqs;
    private final int capacity;
    /** Where this host's positions start: none before it is this host's. */
    private final long base;

    private long latest;

    RoutedLog(Supplier<MessageStore> store) {
        this(store, CAPACITY, SPAN * (1 + new java.security.SecureRandom().nextInt(999_998)));
    }

    /**
     * @param capacity a power of two
     * @param base the position before the first (0 in tests)
     */
    RoutedLog(Supplier<MessageStore> store, int capacity, long base) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
        this.conversations = new String[capacity];
        this.seqs = new long[capacity];
        this.base = base;
        this.latest = base;
    }

    /** Seq {@code seq} of {@code conversation} is being routed here: its position. */
    synchronized long record(String conversation, long seq) {
        latest++;
        int slot = (int) (latest & (capacity - 1));
        conversations[slot] = conversation;
        seqs[slot] = seq;
        return latest;
    }

    /** A position and the message it was: {@link #scanBack}. */
    record Entry(long position, String conversation, long seq) {}

    /**
     * Visits the positions from {@code from} down to {@code downTo} (not included), newest first,
     * while {@code visit} says go on; returns whether it reached {@code downTo} (false when it was
     * stopped, or older positions are no longer known).
     */
    synchronized boolean scanBack(long from, long downTo, java.util.function.Predicate<Entry> visit) {
        long floor = Math.max(downTo, base);
        long oldest = Math.max(floor, latest - capacity);
        for (long p = Math.min(from, latest); p > oldest; p--) {
            int slot = (int) (p & (capacity - 1));
            if (!visit.test(new Entry(p, conversations[slot], seqs[slot]))) {
                return false;
            }
        }
        return oldest == floor;
    }

    @Override
    public synchronized long latest() {
        return latest;
    }

    @Override
    public synchronized boolean covers(long position) {
        return position >= base && position <= latest && latest - position <= capacity;
    }

    @Override
    public List<StoredMessage> after(long position, int limit) {
        long first = position + 1;
        String[] conversation;
        long[] seq;
        synchronized (this) {
            if (!covers(position)) {
                throw new StoreException("more than " + capacity + " messages were routed since position " + position
                        + ": what came before is no longer known here");
            }
            int count = (int) Math.min(Math.max(0, limit), latest - position);
            conversation = new String[count];
            seq = new long[count];
            for (int i = 0; i < count; i++) {
                int slot = (int) ((first + i) & (capacity - 1));
                conversation[i] = conversations[slot];
                seq[i] = seqs[slot];
            }
        }
        Map<String, Map<Long, StoredMessage>> read = read(conversation, seq);
        List<StoredMessage> out = new ArrayList<>(seq.length);
        for (int i = 0; i < seq.length; i++) {
            StoredMessage found = read.get(conversation[i]).get(seq[i]);
            if (found != null) {
                out.add(new StoredMessage(found.seq(), found.message(), first + i));
            }
        }
        return out;
    }

    /** The messages named, by conversation and seq: one range per conversation (a conversation's seqs are routed in a row). */
    private Map<String, Map<Long, StoredMessage>> read(String[] conversation, long[] seq) {
        Map<String, long[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < seq.length; i++) {
            long s = seq[i];
            ranges.merge(conversation[i], new long[] {s, s}, (a, b) ->
                    new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        Map<String, Map<Long, StoredMessage>> read = new HashMap<>();
        MessageStore messages = store.get();
        ranges.forEach((c, range) -> {
            Map<Long, StoredMessage> bySeq = new HashMap<>();
            long after = range[0] - 1;
            while (after < range[1]) {
                List<StoredMessage> page = messages.after(c, after, (int) Math.min(500, range[1] - after));
                for (StoredMessage m : page) {
                    if (m.seq() <= range[1]) {
                        bySeq.put(m.seq(), m);
                    }
                }
                if (page.isEmpty()) {
                    break;
                }
                after = page.get(page.size() - 1).seq();
            }
            read.put(c, bySeq);
        });
        return read;
    }
}
