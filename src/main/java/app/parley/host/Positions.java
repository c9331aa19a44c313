package app.parley.host;

import app.parley.store.MessageStore;
import app.parley.store.StoredMessage;
import java.util.List;

/**
 * What recovery offsets count (docs/PROTOCOL.md §16): a number for every stored message, growing in
 * the order this host routed them, so that a replay after an offset sends what a socket missed in
 * the order it would have had it live. SQLite's row numbers are that order ({@link #ofStore}); a
 * store that several hosts write has no such number for this host, which then keeps its own
 * ({@link RoutedLog}).
 */
interface Positions {
    /** The position of the newest message routed, 0 before the first. */
    long latest();

    /**
     * Up to {@code limit} messages routed after {@code position}, oldest first, each carrying its
     * position ({@link StoredMessage#position}).
     *
     * @throws app.parley.store.StoreException when they cannot be read, or are no longer known
     */
    List<StoredMessage> after(long position, int limit);

    /** Whether everything routed after {@code position} can still be read. */
    boolean covers(long position);

    /** The store's own positions: they follow routing because one host writes, in routing order. */
    static Positions ofStore(History history) {
        return new Positions() {
            @Override
            public long latest() {
                return store().latestPosition();
            }

            @Override
            public List<StoredMessage> after(long position, int limit) {
                return store().afterPosition(position, limit);
            }

            @Override
            public boolean covers(long position) {
                return true;
            }

            private MessageStore store() {
                return history.store();
            }
        };
    }
}
