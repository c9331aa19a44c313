package app.parley.ui;

import java.time.Instant;

/**
 * One line of the conversation view.
 *
 * @param time     when it was sent or happened
 * @param sender   who wrote it ("You", a socket id, "Host"), or null for notices
 * @param scope    where it went: "everyone", "#room", "direct", "announcement"
 * @param text     the words
 * @param kind     what sort of line it is, which decides its style
 * @param status   for own messages: sending, delivered or failed; otherwise empty
 */
public record ConversationLine(Instant time, String sender, String scope, String text, Kind kind, String status) {

    /** What sort of line; each has its own style class. */
    public enum Kind {
        OWN, OTHER, ANNOUNCEMENT, NOTICE,
        /** "New messages" above the first line that was unread when the person came back. */
        DIVIDER
    }

    public ConversationLine withStatus(String newStatus) {
        return new ConversationLine(time, sender, scope, text, kind, newStatus);
    }

    static ConversationLine divider(int unread) {
        return new ConversationLine(Instant.now(), null, "", unread == 1 ? "1 new message" : unread + " new messages",
                Kind.DIVIDER, "");
    }

    static ConversationLine notice(String text) {
        return new ConversationLine(Instant.now(), null, "", text, Kind.NOTICE, "");
    }
}
