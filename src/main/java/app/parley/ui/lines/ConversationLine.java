package app.parley.ui.lines;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the conversation view: a value, equal to another line with the same parts.
 *
 * <p>A conversation keeps its lines in {@link LineColumns}, which stores a time as seconds and
 * nanoseconds; a line keeps it the same way, so a line goes in and out of the columns without an
 * {@link Instant} being made.
 */
public final class ConversationLine {
    /** {@link #seconds} of a line with no time. */
    private static final long NO_TIME = Long.MIN_VALUE;

    private final long seconds;
    private final int nanos;
    private final String sender;
    private final String scope;
    private final String text;
    private final Kind kind;
    private final String status;
    /** The file it carries, or null for the (many) lines without one. */
    private final Attachment attachment;

    /** What sort of line; each has its own style class. */
    public enum Kind {
        OWN,
        OTHER,
        ANNOUNCEMENT,
        NOTICE,
        /** "New messages" above the first line that was unread when the person came back. */
        DIVIDER
    }

    /**
     * @param time     when it was sent or happened, or null
     * @param sender   who wrote it ("You", a socket id, "Host"), or null for notices
     * @param scope    where it went: "everyone", "#room", "direct", "announcement"
     * @param text     the words
     * @param kind     what sort of line it is, which decides its style
     * @param status   for own messages: sending, delivered or failed; otherwise empty
     */
    public ConversationLine(Instant time, String sender, String scope, String text, Kind kind, String status) {
        this(time, sender, scope, text, kind, status, null);
    }

    /** A line carrying a file; {@code attachment} may be null. */
    public ConversationLine(
            Instant time, String sender, String scope, String text, Kind kind, String status, Attachment attachment) {
        this(
                time == null ? NO_TIME : time.getEpochSecond(),
                time == null ? 0 : time.getNano(),
                sender,
                scope,
                text,
                kind,
                status,
                attachment);
    }

    /** A line from its parts as {@link LineColumns} keeps them. */
    ConversationLine(
            long seconds,
            int nanos,
            String sender,
            String scope,
            String text,
            Kind kind,
            String status,
            Attachment attachment) {
        this.attachment = attachment;
        this.seconds = seconds;
        this.nanos = nanos;
        this.sender = sender;
        this.scope = scope;
        this.text = text;
        this.kind = kind;
        this.status = status;
    }

    /** {@link Instant#getEpochSecond()} of its time, {@code Long.MIN_VALUE} when it has none. */
    long epochSecond() {
        return seconds;
    }

    /** {@link Instant#getNano()} of its time, 0 when it has none. */
    int nano() {
        return nanos;
    }

    /** When it was sent or happened, or null. */
    public Instant time() {
        return seconds == NO_TIME ? null : Instant.ofEpochSecond(seconds, nanos);
    }

    public String sender() {
        return sender;
    }

    public String scope() {
        return scope;
    }

    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    public String status() {
        return status;
    }

    /** The file it carries, or null. */
    public Attachment attachment() {
        return attachment;
    }

    public ConversationLine withStatus(String newStatus) {
        return new ConversationLine(seconds, nanos, sender, scope, text, kind, newStatus, attachment);
    }

    public static ConversationLine divider(int unread) {
        return new ConversationLine(
                Instant.now(), null, "", unread == 1 ? "1 new message" : unread + " new messages", Kind.DIVIDER, "");
    }

    public static ConversationLine notice(String text) {
        return new ConversationLine(Instant.now(), null, "", text, Kind.NOTICE, "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConversationLine other
                && seconds == other.seconds
                && nanos == other.nanos
                && Objects.equals(sender, other.sender)
                && Objects.equals(scope, other.scope)
                && Objects.equals(text, other.text)
                && kind == other.kind
                && Objects.equals(status, other.status)
                && Objects.equals(attachment, other.attachment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seconds, nanos, sender, scope, text, kind, status, attachment);
    }

    @Override
    public String toString() {
        return "ConversationLine[time=" + time() + ", sender=" + sender + ", scope=" + scope + ", text=" + text
                + ", kind=" + kind + ", status=" + status + (attachment == null ? "" : ", file=" + attachment.name())
                + "]";
    }
}
