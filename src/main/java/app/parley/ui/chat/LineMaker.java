package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.ui.lines.Attachment;
import app.parley.ui.lines.ConversationLine;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Turns messages into the lines a conversation shows, and learns who is talking as it goes. */
final class LineMaker {
    /** See {@link #shared}; emptied when it reaches this size, so it never grows without bound. */
    private static final int SHARED_TEXTS = 4096;

    private final Map<String, String> sharedTexts = new HashMap<>();
    private final PeopleModel people;

    LineMaker(PeopleModel people) {
        this.people = people;
    }

    /** An own message on its way to {@code target}. */
    ConversationLine sending(Instant time, Target target, String text) {
        return new ConversationLine(
                time == null ? Instant.now() : time,
                "You",
                scopeOf(target),
                text,
                ConversationLine.Kind.OWN,
                "sending");
    }

    /** An own file on its way to {@code target}, shown with what is known of it here. */
    ConversationLine sendingFile(Target target, String text, Attachment file) {
        return new ConversationLine(
                Instant.now(), "You", scopeOf(target), text, ConversationLine.Kind.OWN, "sending", file);
    }

    /** A message from a history page of the conversation with {@code target}. */
    ConversationLine fromHistory(ChatMessage message, Target target) {
        return message.mine()
                ? new ConversationLine(
                        message.time(),
                        "You",
                        scopeOf(target),
                        message.text(),
                        ConversationLine.Kind.OWN,
                        "delivered",
                        Attachment.of(message))
                : of(message);
    }

    ConversationLine of(ChatMessage message) {
        if (message.mine()) {
            // Ours, sent from another window or device, coming back in a replay.
            return new ConversationLine(
                    message.time(),
                    "You",
                    "",
                    message.text(),
                    ConversationLine.Kind.OWN,
                    "delivered",
                    Attachment.of(message));
        }
        if (message.kind() == MessageKind.ANNOUNCEMENT) {
            return new ConversationLine(
                    message.time(), "Host", "announcement", message.text(), ConversationLine.Kind.ANNOUNCEMENT, "");
        }
        people.heard(message);
        String scope = switch (message.kind()) {
            case ROOM -> "#" + message.room();
            case DIRECT -> "direct";
            default -> "everyone";
        };
        return new ConversationLine(
                message.time(),
                shared(message.senderLabel()),
                shared(scope),
                message.text(),
                ConversationLine.Kind.OTHER,
                "",
                Attachment.of(message));
    }

    /**
     * One copy of a sender's label or a scope for all the lines that show it: every message brings
     * its own copies from the wire, and a conversation keeps 100,000 lines and more.
     */
    private String shared(String text) {
        if (sharedTexts.size() >= SHARED_TEXTS) {
            sharedTexts.clear();
        }
        String known = sharedTexts.putIfAbsent(text, text);
        return known == null ? text : known;
    }

    private String scopeOf(Target target) {
        if (target instanceof Target.Room room) {
            return "#" + room.name();
        }
        if (target instanceof Target.Direct direct) {
            return "to " + people.labelOf(direct.socketId());
        }
        return "everyone";
    }
}
