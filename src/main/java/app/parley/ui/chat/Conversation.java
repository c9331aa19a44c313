package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.ui.lines.ConversationLine;
import app.parley.ui.lines.LineColumns;
import app.parley.ui.lines.ShownIds;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/**
 * One conversation of the sidebar: everyone, a room, or a direct conversation with one person.
 * Holds its lines, what is unread, who is typing, and how far back its history is loaded. Changed
 * on the UI thread only, by {@link ChatViewModel}.
 */
public final class Conversation {
    private Target target;
    private final StringProperty title = new SimpleStringProperty();
    private final ObservableList<ConversationLine> lines = new LineColumns();
    private final IntegerProperty unread = new SimpleIntegerProperty();
    private final StringProperty typing = new SimpleStringProperty("");
    private final StringProperty members = new SimpleStringProperty("");
    private final BooleanProperty moreHistory = new SimpleBooleanProperty(false);
    /** Message ids shown, so a message that comes both live and in a history page shows once. */
    private final ShownIds shown = new ShownIds();

    private long oldestSeq = Long.MAX_VALUE;
    private boolean loadingHistory;
    private boolean historyAsked;

    Conversation(Target target, String title) {
        this.target = target;
        this.title.set(title);
    }

    public Target target() {
        return target;
    }

    /** A direct conversation follows its person to their new socket id after they reconnect. */
    void retarget(Target newTarget) {
        target = newTarget;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title;
    }

    public String title() {
        return title.get();
    }

    void setTitle(String newTitle) {
        title.set(newTitle);
    }

    public ObservableList<ConversationLine> lines() {
        return lines;
    }

    public ReadOnlyIntegerProperty unreadProperty() {
        return unread;
    }

    /** "Ann is typing…", or empty. */
    public ReadOnlyStringProperty typingProperty() {
        return typing;
    }

    /** For a room: who is in it now ("3 here: Ann, Bob, you"); empty when unknown. */
    public ReadOnlyStringProperty membersProperty() {
        return members;
    }

    void setMembers(List<String> labels) {
        members.set(labels.isEmpty() ? "" : labels.size() + " here: " + String.join(", ", labels));
    }

    /** Whether older messages can be loaded from the host. */
    public ReadOnlyBooleanProperty moreHistoryProperty() {
        return moreHistory;
    }

    void setTyping(List<String> names) {
        typing.set(
                switch (names.size()) {
                    case 0 -> "";
                    case 1 -> names.get(0) + " is typing…";
                    case 2 -> names.get(0) + " and " + names.get(1) + " are typing…";
                    default -> "Several people are typing…";
                });
    }

    /** Adds live lines at the end; messages already shown (by id) are skipped. */
    void append(List<ConversationLine> added, List<ChatMessage> messages) {
        List<ConversationLine> fresh = new ArrayList<>(added.size());
        for (int i = 0; i < added.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message != null && sentHere(message)) {
                continue;
            }
            if (message == null || message.id() == null || shown.add(message.id())) {
                fresh.add(added.get(i));
                if (message != null && message.seq() > 0) {
                    oldestSeq = Math.min(oldestSeq, message.seq());
                }
            }
        }
        lines.addAll(fresh);
    }

    void countUnread(int count) {
        unread.set(unread.get() + count);
    }

    /**
     * Marks everything read. When there was something unread, a "new messages" divider goes
     * where the person left off (and the old divider goes).
     */
    void markRead() {
        lines.removeIf(line -> line.kind() == ConversationLine.Kind.DIVIDER);
        int count = unread.get();
        if (count > 0 && count < lines.size()) {
            lines.add(lines.size() - count, ConversationLine.divider(count));
        }
        unread.set(0);
    }

    boolean startHistoryLoad(boolean older) {
        if (loadingHistory || (older ? !moreHistory.get() : historyAsked)) {
            return false;
        }
        loadingHistory = true;
        historyAsked = true;
        return true;
    }

    long oldestSeq() {
        return oldestSeq;
    }

    /**
     * An own message shown from the moment it is sent, before the host has given it an id: a
     * history page that already holds it (by its client id) does not show it again.
     */
    void showingOwn(String clientId) {
        shown.add(OWN + clientId);
    }

    private static final String OWN = "own ";

    /** An own message this window shows already, coming back (a replay, or a file's own copy). */
    private boolean sentHere(ChatMessage message) {
        return message.mine() && message.clientId() != null && shown.contains(OWN + message.clientId());
    }

    /** Puts an older page before what is shown; messages already shown are skipped. */
    void prepend(List<ConversationLine> page, List<ChatMessage> messages, boolean more) {
        loadingHistory = false;
        List<ConversationLine> fresh = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            ChatMessage message = messages.get(i);
            if (!sentHere(message) && (message.id() == null || shown.add(message.id()))) {
                fresh.add(page.get(i));
            }
            if (message.seq() > 0) {
                oldestSeq = Math.min(oldestSeq, message.seq());
            }
        }
        lines.addAll(0, fresh);
        moreHistory.set(more);
    }

    void historyFailed() {
        loadingHistory = false;
    }

    @Override
    public String toString() {
        return title.get();
    }
}
