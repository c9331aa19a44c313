package app.parley.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A message about to be stored.
 *
 * @param conversation "*" = everyone, "#&lt;room&gt;" = a room, "@&lt;userA&gt; &lt;userB&gt;" = direct; the host
 *                     builds the keys, the store treats them as opaque strings
 * @param id           host-assigned unique message id (a UUID string)
 * @param senderUser   stable user key of the sender, or null (announcements)
 * @param clientId     the sender's own id for the message, or null; with a non-null senderUser the pair is
 *                     unique, so a resent message is recognised
 * @param senderId     socket id at send time, or null
 * @param senderName   display name at send time, or null
 * @param kind         "everyone", "room", "direct" or "announcement"
 * @param room         the room name, or null
 * @param text         what was written
 * @param time         when the host routed it; stored to the millisecond
 * @param file         the file it carries as the host's JSON text (opaque here), or null
 */
public record NewMessage(
        String conversation,
        String id,
        String senderUser,
        String clientId,
        String senderId,
        String senderName,
        String kind,
        String room,
        String text,
        Instant time,
        String file) {
    public NewMessage {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
    }

    /** A message without a file. */
    public NewMessage(
            String conversation,
            String id,
            String senderUser,
            String clientId,
            String senderId,
            String senderName,
            String kind,
            String room,
            String text,
            Instant time) {
        this(conversation, id, senderUser, clientId, senderId, senderName, kind, room, text, time, null);
    }

    /** The same message at another time. */
    public NewMessage at(Instant newTime) {
        return new NewMessage(
                conversation, id, senderUser, clientId, senderId, senderName, kind, room, text, newTime, file);
    }
}
