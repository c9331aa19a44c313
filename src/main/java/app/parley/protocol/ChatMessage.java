package app.parley.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as a receiver sees it.
 *
 * @param text   what was written; never null
 * @param from   socket id of the sender, or null when the server did not say (tutorial servers)
 * @param kind   how it was addressed
 * @param room   the room name for {@link MessageKind#ROOM}, otherwise null
 * @param time   when the server routed it (or when it arrived, for servers that do not say)
 * @param id     server-assigned message id, or null when the server did not say
 * @param name   the sender's nickname when it was sent, or null when it had none or the server did not say
 * @param seq    its place in its conversation on a Parley host (1, 2, …), or 0 when unknown
 * @param mine   true for one's own messages coming back in history or replay
 * @param conversation the host's key of its conversation ({@code *}, {@code #room}, {@code @userA userB}),
 *               or null; {@code seq} counts within it
 * @param user   the sender's user (a digest, stable across reconnects), or null
 * @param clientId the id its sender gave it, shown only to that sender ({@code mine}), or null
 * @param file   the file it carries (docs/PROTOCOL.md §15), or null for a plain message
 */
public record ChatMessage(
        String text,
        String from,
        MessageKind kind,
        String room,
        Instant time,
        String id,
        String name,
        long seq,
        boolean mine,
        String conversation,
        String user,
        String clientId,
        SharedFile file) {
    public ChatMessage {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
    }

    /** A message without a file. */
    public ChatMessage(
            String text,
            String from,
            MessageKind kind,
            String room,
            Instant time,
            String id,
            String name,
            long seq,
            boolean mine,
            String conversation,
            String user,
            String clientId) {
        this(text, from, kind, room, time, id, name, seq, mine, conversation, user, clientId, null);
    }

    /** A message with no nickname, sequence or ownership known (what a tutorial server gives). */
    public ChatMessage(String text, String from, MessageKind kind, String room, Instant time, String id) {
        this(text, from, kind, room, time, id, null, 0, false, null, null, null, null);
    }

    /** The same message at {@code newSeq} in {@code newConversation}, as the host numbered it. */
    public ChatMessage numbered(String newConversation, long newSeq) {
        return new ChatMessage(
                text, from, kind, room, time, id, name, newSeq, mine, newConversation, user, clientId, file);
    }

    /** The same message, marked as the reader's own (or not). */
    public ChatMessage mine(boolean own) {
        return new ChatMessage(text, from, kind, room, time, id, name, seq, own, conversation, user, clientId, file);
    }

    /** The same message carrying {@code shared}. */
    public ChatMessage withFile(SharedFile shared) {
        return new ChatMessage(text, from, kind, room, time, id, name, seq, mine, conversation, user, clientId, shared);
    }

    /** Who wrote it, for people: the nickname, else the socket id, else "someone". */
    public String senderLabel() {
        return name != null ? name : from != null ? from : "someone";
    }
}
