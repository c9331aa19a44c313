package app.parley.store;

import java.util.List;

/**
 * Durable chat history: an append-only log per conversation, numbered 1, 2, 3, … so a client can page back
 * ({@link #before}) or catch up after a reconnect ({@link #after}). Every method throws {@link StoreException}
 * with a readable message when the disk fails.
 */
public interface MessageStore extends AutoCloseable {
    /**
     * Stores the messages in order, in ONE transaction, giving each the next sequence of its conversation.
     * When it returns they survive the host process being killed; they survive a power cut or an OS crash once a
     * later {@link #sync} has returned. A sequence number is never given to two messages, not even when a power
     * cut lost the first before it was synced. A message whose (senderUser, clientId) was stored before (both non-null) is not
     * stored again: its entry in the result is the one stored earlier (same seq, same id), also when the earlier
     * one is in the same batch.
     *
     * @return one entry per input, same order
     * @throws StoreException on I/O failure; then nothing of the batch is stored
     */
    List<StoredMessage> append(List<NewMessage> messages);

    /**
     * {@link #append}, answering besides the messages of the batch's conversations stored before
     * the batch's own and after the seqs in {@code knownUpTo} (by conversation): in a cluster, what
     * other hosts stored just before, which the caller has not heard of yet. A few dozen at most,
     * oldest first in each conversation; the rest, if more, are the caller's to find. A store only
     * one host writes has none to tell.
     */
    default Appended append(List<NewMessage> messages, java.util.Map<String, Long> knownUpTo) {
        return new Appended(append(messages), List.of());
    }

    /** What {@link #append(List, java.util.Map)} stored, one per message, and what others stored just before. */
    record Appended(List<StoredMessage> stored, List<StoredMessage> storedBefore) {}

    /**
     * Up to {@code limit} (clamped to 1..500) messages of {@code conversation} with seq &lt; beforeSeq, the newest
     * of those, returned oldest first. {@code Long.MAX_VALUE} means "the latest".
     */
    List<StoredMessage> before(String conversation, long beforeSeq, int limit);

    /** The message with this host-assigned id, if it is stored (a file's download names its message). */
    java.util.Optional<StoredMessage> byId(String id);

    /** Up to {@code limit} (clamped to 1..500) messages with seq &gt; afterSeq, oldest first (replay after reconnect). */
    List<StoredMessage> after(String conversation, long afterSeq, int limit);

    /**
     * Blocks until everything appended so far survives a power cut. Safe to call from another thread than the
     * one appending; appends and reads may go on meanwhile.
     *
     * @throws StoreException when the disk refuses
     */
    void sync();

    /**
     * Up to {@code limit} (clamped to 1..500) messages of every conversation stored after {@code position}
     * ({@link StoredMessage#position}), oldest first: what a recovering socket missed (docs/PROTOCOL.md §16).
     */
    default List<StoredMessage> afterPosition(long position, int limit) {
        return List.of();
    }

    /** The position of the newest message stored, 0 when none is. */
    default long latestPosition() {
        return 0;
    }

    /** Highest seq of the conversation, 0 when empty. */
    long latestSeq(String conversation);

    /** The highest seq of every conversation, as {@link #latestSeq} gives each. */
    default java.util.Map<String, Long> latestSeqs() {
        java.util.Map<String, Long> seqs = new java.util.HashMap<>();
        for (String conversation : conversations("")) {
            seqs.put(conversation, latestSeq(conversation));
        }
        return seqs;
    }

    /**
     * Records whether {@code user} is in {@code room}, so a reconnect (even to a restarted host) may
     * put them back there and nobody else. Durable with the next {@link #sync}.
     */
    void setMember(String user, String room, boolean member);

    /** The rooms {@code user} was last in, per {@link #setMember}. */
    java.util.Set<String> roomsOf(String user);

    /** Every conversation whose key starts with {@code prefix}, in no particular order. */
    List<String> conversations(String prefix);

    /**
     * Where shared files' bytes are kept for every host that shares this store (a cluster's
     * PostgreSQL), or empty when each host keeps its own only (SQLite, one host).
     */
    default java.util.Optional<FileCopies> fileCopies() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
