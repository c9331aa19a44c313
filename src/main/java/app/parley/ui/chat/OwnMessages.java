package app.parley.ui.chat;

import app.parley.protocol.Target;
import app.parley.session.ChatSession;
import app.parley.ui.lines.ConversationLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

/** The person's own messages: each shows as sending, then as delivered or failed; Retry sends the failed again. */
final class OwnMessages {
    private final ChatSession session;
    private final Executor ui;
    private final LineMaker lines;
    /** Own messages the host never confirmed, by client id: what Retry sends again. */
    private final Map<String, Outgoing> failed = new LinkedHashMap<>();

    private final ReadOnlyIntegerWrapper failedCount = new ReadOnlyIntegerWrapper();

    /** An own message on its way: where it shows, and what to send again. */
    private record Outgoing(String clientId, Conversation conversation, Target target, String text) {}

    OwnMessages(ChatSession session, Executor ui, LineMaker lines) {
        this.session = session;
        this.ui = ui;
        this.lines = lines;
    }

    ReadOnlyIntegerProperty failedCountProperty() {
        return failedCount.getReadOnlyProperty();
    }

    /** Sends {@code text} to {@code target}, shown in {@code conversation}. */
    void send(String clientId, Conversation conversation, Target target, String text) {
        track(new Outgoing(clientId, conversation, target, text), null);
    }

    /** Sends every failed message again, with its own client id (the host stores each once). */
    void retryFailed() {
        List<Outgoing> again = new ArrayList<>(failed.values());
        failed.clear();
        failedCount.set(0);
        for (Outgoing outgoing : again) {
            List<ConversationLine> shown = outgoing.conversation().lines();
            for (int i = shown.size() - 1; i >= 0; i--) {
                if (shown.get(i).kind() == ConversationLine.Kind.OWN
                        && "failed".equals(shown.get(i).status())
                        && shown.get(i).text().equals(outgoing.text())) {
                    shown.remove(i);
                    break;
                }
            }
            track(outgoing, null);
        }
    }

    /** Shows an own message as sending, and then as delivered or failed. */
    private void track(Outgoing outgoing, Instant time) {
        Conversation here = outgoing.conversation();
        ConversationLine line = lines.sending(time, outgoing.target(), outgoing.text());
        here.lines().add(line);
        here.showingOwn(outgoing.clientId());
        session.send(outgoing.target(), outgoing.text(), outgoing.clientId())
                .whenComplete((ok, failure) -> ui.execute(() -> {
                    int index = here.lines().lastIndexOf(line);
                    if (failure == null) {
                        replace(here, index, line.withStatus("delivered"));
                    } else {
                        replace(here, index, line.withStatus("failed"));
                        here.lines().add(ConversationLine.notice(ChatViewModel.reason(failure)));
                        if (ChatViewModel.reason(failure).startsWith("Not delivered")) {
                            failed.put(outgoing.clientId(), outgoing);
                            failedCount.set(failed.size());
                        }
                    }
                }));
    }

    private static void replace(Conversation conversation, int index, ConversationLine updated) {
        if (index >= 0) {
            conversation.lines().set(index, updated);
        }
    }
}
