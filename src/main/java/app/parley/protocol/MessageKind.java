package app.parley.protocol;

import java.util.Locale;
import java.util.Optional;

/** How a received message was addressed; travels as {@code meta.kind}. */
public enum MessageKind {
    /** Sent to everyone else ({@code room ""}). */
    EVERYONE,
    /** Sent to a named room. */
    ROOM,
    /** Sent to one socket by id. */
    DIRECT,
    /** A host announcement, delivered to everyone including the host (Node: {@code io.emit}). */
    ANNOUNCEMENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessageKind> fromWire(Object value) {
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        for (MessageKind kind : values()) {
            if (kind.wireName().equals(s)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
