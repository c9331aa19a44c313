package app.parley.store;

/** A stored message: what was appended plus its sequence number in its conversation (1, 2, 3, … per conversation). */
public record StoredMessage(long seq, NewMessage message) {}
