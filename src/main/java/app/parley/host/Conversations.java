package app.parley.host;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.WireCodec;
import app.parley.store.NewMessage;
import app.parley.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * How the host names conversations in its store, and maps messages to and from it. A direct
 * conversation is keyed by its two users, not their sockets, so it outlives both connections and
 * only those two can ever page it.
 */
final class Conversations {
    static final String EVERYONE = "*";

    private Conversations() {
    }

    static String room(String name) {
        return "#" + name;
    }

    static String direct(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? "@" + userA + " " + userB : "@" + userB + " " + userA;
    }

    static NewMessage toStore(String conversation, ChatMessage message, String senderUser, String clientId) {
        return new NewMessage(conversation, message.id(), senderUser, clientId, message.from(), message.name(),
                message.kind().wireName(), message.room(), message.text(), message.time());
    }

    static ChatMessage withSeq(ChatMessage message, long seq) {
        return new ChatMessage(message.text(), message.from(), message.kind(), message.room(), message.time(),
                message.id(), message.name(), seq, false);
    }

    /**
     * A history page for {@code reader} from up to {@code limit + 1} stored messages: the extra one
     * only says there is more.
     */
    static WireCodec.HistoryPage page(List<StoredMessage> stored, int limit, String reader) {
        boolean more = stored.size() > limit;
        List<StoredMessage> shown = more ? stored.subList(stored.size() - limit, stored.size()) : stored;
        List<ChatMessage> messages = new ArrayList<>();
        for (StoredMessage s : shown) {
            NewMessage m = s.message();
            MessageKind kind = MessageKind.fromWire(m.kind()).orElse(MessageKind.EVERYONE);
            messages.add(new ChatMessage(m.text(), m.senderId(), kind, m.room(), m.time(), m.id(), m.senderName(),
                    s.seq(), reader != null && reader.equals(m.senderUser())));
        }
        return new WireCodec.HistoryPage(messages, more);
    }
}
