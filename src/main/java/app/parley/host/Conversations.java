package app.parley.host;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.JsonText;
import app.parley.protocol.MessageKind;
import app.parley.protocol.SharedFile;
import app.parley.protocol.WireCodec;
import app.parley.store.FileShelf;
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

    private Conversations() {}

    static String room(String name) {
        return "#" + name;
    }

    static String direct(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? "@" + userA + " " + userB : "@" + userB + " " + userA;
    }

    /** The one of a direct conversation's two users who is not {@code user} ({@code user} when it is with oneself). */
    static String otherUser(String direct, String user) {
        String[] users = direct.substring(1).split(" ", 2);
        return users.length == 2 && users[0].equals(user) ? users[1] : users[0];
    }

    /** Whether {@code user} is one of the two people of a direct conversation key. */
    static boolean isParticipant(String direct, String user) {
        String[] users = direct.substring(1).split(" ", 2);
        return users.length == 2 && (users[0].equals(user) || users[1].equals(user));
    }

    /**
     * Whether {@code user} may read {@code conversation}: Everyone is anyone's, a room its members'
     * ({@code inRoom} says who is, as the caller knows it), a direct conversation its two users'.
     */
    static boolean readable(String conversation, String user, java.util.function.Predicate<String> inRoom) {
        return conversation.equals(EVERYONE)
                || conversation.startsWith("#") && inRoom.test(conversation.substring(1))
                || conversation.startsWith("@") && isParticipant(conversation, user);
    }

    static NewMessage toStore(String conversation, ChatMessage message, String senderUser, String clientId) {
        return new NewMessage(
                conversation,
                message.id(),
                senderUser,
                clientId,
                message.from(),
                message.name(),
                message.kind().wireName(),
                message.room(),
                message.text(),
                message.time(),
                message.file() == null ? null : JsonText.write(message.file().toWire()));
    }

    /** A stored message as a reader sees it: {@code mine} when the reader is its sender. */
    static ChatMessage fromStore(StoredMessage stored, String reader) {
        NewMessage m = stored.message();
        MessageKind kind = MessageKind.fromWire(m.kind()).orElse(MessageKind.EVERYONE);
        return new ChatMessage(
                m.text(),
                m.senderId(),
                kind,
                m.room(),
                m.time(),
                m.id(),
                m.senderName(),
                stored.seq(),
                reader != null && reader.equals(m.senderUser()),
                m.conversation(),
                m.senderUser(),
                m.clientId(),
                fileOf(m));
    }

    /** The file a stored message carries; a row this version cannot read is shown as its text alone. */
    private static SharedFile fileOf(NewMessage m) {
        if (m.file() == null) {
            return null;
        }
        try {
            List<Object> parsed = JsonText.parseArguments(m.file());
            return parsed.isEmpty() ? null : SharedFile.fromWire(parsed.get(0)).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@link #fromStore}, with its file marked expired when the shelf no longer has the bytes. */
    static ChatMessage fromStore(StoredMessage stored, String reader, FileShelf shelf) {
        ChatMessage message = fromStore(stored, reader);
        SharedFile file = message.file();
        return file == null || file.expired() || availableQuietly(shelf, file.sha256())
                ? message
                : message.withFile(file.asExpired());
    }

    /** {@link FileShelf#available}; a cluster store that cannot be asked now does not make a file expired. */
    private static boolean availableQuietly(FileShelf shelf, String sha256) {
        try {
            return shelf.available(sha256);
        } catch (app.parley.store.StoreException e) {
            return true;
        }
    }

    /**
     * A history page for {@code reader} from up to {@code limit + 1} stored messages: the extra one
     * only says there is more.
     */
    static WireCodec.HistoryPage page(List<StoredMessage> stored, int limit, String reader, FileShelf shelf) {
        boolean more = stored.size() > limit;
        List<StoredMessage> shown = more ? stored.subList(stored.size() - limit, stored.size()) : stored;
        List<ChatMessage> messages = new ArrayList<>();
        for (StoredMessage s : shown) {
            messages.add(fromStore(s, reader, shelf));
        }
        return new WireCodec.HistoryPage(messages, more);
    }
}
