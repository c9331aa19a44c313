package app.parley.ui.lines;

import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the messages a conversation shows, so a message that comes both live and in a
 * history page shows once. A conversation of 100,000 lines holds 100,000 of them, so a host's ids
 * (UUIDs in their usual lowercase spelling) are kept as two {@code long}s in open-addressed arrays:
 * no object per id, where a {@code HashSet} of {@code UUID}s took two (the UUID and the set's
 * node, 64 bytes), which the window's full collections had to mark and move. Any other id is kept
 * as its text.
 */
public final class ShownIds {
    /** Slots in use at most this fraction of the table, so a probe ends soon. */
    private static final double LOAD = 0.5;

    /** The UUIDs: slot i holds (high[i], low[i]); (0, 0) marks a free slot, so the nil UUID is a flag. */
    private long[] high = new long[64];

    private long[] low = new long[64];
    private int uuids;
    private boolean nil;
    private final Set<String> others = new HashSet<>();

    /**
     * Adds an id.
     *
     * @return whether it was new
     */
    public boolean add(String id) {
        long[] pair = uuidOf(id);
        return pair == null ? others.add(id) : addUuid(pair[0], pair[1]);
    }

    public boolean contains(String id) {
        long[] pair = uuidOf(id);
        if (pair == null) {
            return others.contains(id);
        }
        if (pair[0] == 0 && pair[1] == 0) {
            return nil;
        }
        int slot = slotOf(high, low, pair[0], pair[1]);
        return high[slot] != 0 || low[slot] != 0;
    }

    int size() {
        return uuids + (nil ? 1 : 0) + others.size();
    }

    private boolean addUuid(long h, long l) {
        if (h == 0 && l == 0) {
            boolean added = !nil;
            nil = true;
            return added;
        }
        int slot = slotOf(high, low, h, l);
        if (high[slot] != 0 || low[slot] != 0) {
            return false;
        }
        high[slot] = h;
        low[slot] = l;
        if (++uuids > high.length * LOAD) {
            grow();
        }
        return true;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        high = new long[oldHigh.length * 2];
        low = new long[oldLow.length * 2];
        for (int i = 0; i < oldHigh.length; i++) {
            if (oldHigh[i] != 0 || oldLow[i] != 0) {
                int slot = slotOf(high, low, oldHigh[i], oldLow[i]);
                high[slot] = oldHigh[i];
                low[slot] = oldLow[i];
            }
        }
    }

    /** The slot holding (h, l), or the free slot where it would go (linear probing). */
    private static int slotOf(long[] high, long[] low, long h, long l) {
        int mask = high.length - 1;
        long mixed = (h ^ Long.rotateLeft(l, 32)) * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 32) & mask;
        while ((high[slot] != 0 || low[slot] != 0) && (high[slot] != h || low[slot] != l)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /**
     * The id as two longs when it is a UUID in its usual spelling (36 characters, lowercase hex,
     * dashes after 8, 12, 16 and 20 digits, as {@link java.util.UUID#toString()} writes it), else null.
     */
    static long[] uuidOf(String id) {
        if (id.length() != 36) {
            return null;
        }
        long[] pair = new long[2];
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int value;
            if (c >= '0' && c <= '9') {
                value = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                value = c - 'a' + 10;
            } else {
                return null;
            }
            pair[digits / 16] = (pair[digits / 16] << 4) | value;
            digits++;
        }
        return pair;
    }
}
