package app.parley.host;

import app.parley.protocol.WireRules;
import app.parley.store.MessageStore;
import app.parley.store.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconnecting client has already seen, from its handshake {@code auth.resume}:
 * {@code {"at": <epoch ms of the newest message it saw>, "seqs": {"<conversation>": <seq>, …}}}.
 * The host gives back the rooms among those conversations (a new socket is in none) and every
 * message newer than the seq of each conversation the client may read, plus the direct
 * conversations it did not know that moved since {@code at}.
 */
final class Resume {
    /** More entries than this is not a chat client's state. */
    private static final int MAX_CONVERSATIONS = 500;
    /** At most this many messages per conversation come back; older ones are a history page away. */
    static final int MAX_REPLAY = 500;

    private final Map<String, Long> seqs;
    private final long at;

    private Resume(Map<String, Long> seqs, long at) {
        this.seqs = seqs;
        this.at = at;
    }

    /** The resume state in a handshake, or null when there is none (or it is not well formed). */
    static Resume parse(Object auth) {
        if (!(auth instanceof Map<?, ?> map) || !(map.get("resume") instanceof Map<?, ?> resume)
                || !(resume.get("seqs") instanceof Map<?, ?> given) || given.size() > MAX_CONVERSATIONS) {
            return null;
        }
        Map<String, Long> seqs = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (key instanceof String conversation && conversation.length() <= 200 && value instanceof Number n
                    && n.longValue() >= 0) {
                seqs.put(conversation, n.longValue());
            }
        });
        long at = resume.get("at") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        return new Resume(seqs, at);
    }

    /** The rooms the client was in: every {@code #room} conversation it names, when the name is valid. */
    List<String> rooms() {
        List<String> rooms = new ArrayList<>();
        for (String conversation : seqs.keySet()) {
            if (conversation.startsWith("#") && WireRules.checkRoomName(conversation.substring(1)).isEmpty()) {
                rooms.add(conversation.substring(1));
            }
        }
        return rooms;
    }

    /**
     * Everything {@code user} missed, conversation by conversation, each in order. Runs on the
     * history thread.
     */
    List<StoredMessage> missed(MessageStore store, String user) {
        List<StoredMessage> missed = new ArrayList<>();
        seqs.forEach((conversation, seq) -> {
            if (mayRead(conversation, user)) {
                missed.addAll(store.after(conversation, seq, MAX_REPLAY));
            }
        });
        for (String direct : store.conversations("@")) {
            if (!seqs.containsKey(direct) && mayRead(direct, user)) {
                for (StoredMessage message : store.before(direct, Long.MAX_VALUE, MAX_REPLAY)) {
                    // Not before: a message in the same millisecond as the last one seen may be new.
                    if (!message.message().time().isBefore(Instant.ofEpochMilli(at))) {
                        missed.add(message);
                    }
                }
            }
        }
        return missed;
    }

    /** Everyone and rooms are open to all; a direct conversation only to its two users. */
    private static boolean mayRead(String conversation, String user) {
        if (conversation.equals(Conversations.EVERYONE) || conversation.startsWith("#")) {
            return true;
        }
        return conversation.startsWith("@") && Conversations.isParticipant(conversation, user);
    }
}
