package app.parley.store;

/**
 * A stored message: what was appended plus its sequence number in its conversation (1, 2, 3, … per
 * conversation) and its position in the whole store, which grows with every message stored in any
 * conversation, in the order they were committed (and so routed): what a recovery offset names
 * (docs/PROTOCOL.md §16). 0 where unknown.
 */
public record StoredMessage(long seq, NewMessage message, long position) {
    public StoredMessage(long seq, NewMessage message) {
        this(seq, message, 0);
    }
}
