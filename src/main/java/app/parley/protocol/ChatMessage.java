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
 */
public record ChatMessage(String text, String from, MessageKind kind, String room, Instant time, String id) {
    public ChatMessage {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
    }
}
