package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.session.ChatSession;
import app.parley.ui.lines.ConversationLine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Pages of what was said before, asked of the host once the people list says it is there. */
final class HistoryPages {
    private final ChatSession session;
    private final Executor ui;
    private final LineMaker lines;
    private final PeopleModel people;

    HistoryPages(ChatSession session, Executor ui, LineMaker lines, PeopleModel people) {
        this.session = session;
        this.ui = ui;
        this.lines = lines;
        this.people = people;
    }

    /** The latest page of a conversation, once, when the host keeps history. */
    void latest(Conversation conversation) {
        if (people.known() && conversation.startHistoryLoad(false)) {
            request(conversation, Long.MAX_VALUE);
        }
    }

    /** The page before the oldest line of a conversation, if there is one. */
    void older(Conversation conversation) {
        if (people.known() && conversation.startHistoryLoad(true)) {
            request(conversation, conversation.oldestSeq());
        }
    }

    private void request(Conversation conversation, long before) {
        session.history(conversation.target(), before, ChatViewModel.PAGE)
                .whenComplete((page, failure) -> ui.execute(() -> {
                    if (failure != null) {
                        conversation.historyFailed();
                        return;
                    }
                    List<ConversationLine> shown = new ArrayList<>();
                    for (ChatMessage message : page.messages()) {
                        shown.add(lines.fromHistory(message, conversation.target()));
                    }
                    conversation.prepend(shown, page.messages(), page.more());
                }));
    }
}
