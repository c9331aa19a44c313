package app.parley.ui.chat;

import app.parley.ui.lines.ConversationLine;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether a conversation line continues the one above it, so its heading (sender, where it
 * went, time) can be left out, as chat apps do for a run of messages from one person.
 */
final class LineGrouping {
    /** Longer than this between two messages and the second one gets its heading back. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private LineGrouping() {}

    /**
     * True when {@code line} is a message ({@code OWN} or {@code OTHER}) of the same kind, from the
     * same sender, to the same place, as {@code previous}, and sent within {@link #WINDOW} after
     * it. A failed own message keeps its heading, where its status is shown.
     */
    static boolean continues(ConversationLine previous, ConversationLine line) {
        if (previous == null || line == null || line.sender() == null) {
            return false;
        }
        boolean message = line.kind() == ConversationLine.Kind.OWN || line.kind() == ConversationLine.Kind.OTHER;
        if (!message || previous.kind() != line.kind() || "failed".equals(line.status())) {
            return false;
        }
        if (!line.sender().equals(previous.sender()) || !Objects.equals(line.scope(), previous.scope())) {
            return false;
        }
        if (previous.time() == null || line.time() == null) {
            return false;
        }
        Duration gap = Duration.between(previous.time(), line.time());
        return !gap.isNegative() && gap.compareTo(WINDOW) <= 0;
    }
}
