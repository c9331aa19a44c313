package app.parley.host;

import app.parley.store.MessageStore;
import app.parley.store.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a reconnecting client has already seen, from its handshake {@code auth.resume}:
 * {@code {"at": <epoch ms of the newest message it saw>, "seqs": {"<conversation>": <seq>, …}}}.
 * It is a claim, so the host trusts none of it: the socket goes back only into rooms that
 * {@code join-room} would let it join and that its user was in, and gets only what its user may
 * read (docs/PROTOCOL.md §5).
 */
final class Resume {
    /** Everyone, a person's rooms and direct conversations fit in this; more is not a chat client's state. */
    static final int MAX_CONVERSATIONS = 200;
    /** At most this many messages per conversation come back; older ones are a history page away. */
    static final int MAX_REPLAY = 500;

    /** Where the replay of one conversation stands: the last seq sent, and how many more may follow. */
    record Cursor(String conversation, long after, int left) {
        Cursor advancedTo(long seq, int sent) {
            return new Cursor(conversation, seq, left - sent);
        }
    }

    /**
     * The rooms a resume may restore, where the replay of each readable conversation starts, and
     * where each of the user's direct conversations stood when the plan was made (its last step
     * replays what was said in them meanwhile, {@link #movedSincePlan}).
     */
    record Plan(List<String> rooms, List<Cursor> cursors, Map<String, Long> directs) {
        /** The cursors left when only {@code restored} of the rooms were put back. */
        List<Cursor> cursorsWithin(List<String> restored) {
            return cursors.stream()
                    .filter(c -> !c.conversation().startsWith("#")
                            || restored.contains(c.conversation().substring(1)))
                    .toList();
        }
    }

    private final Map<String, Long> seqs;
    private final long at;
    /** How far before {@code at} a direct conversation the client did not name is replayed from. */
    static final java.time.Duration UNNAMED_SLACK = java.time.Duration.ofMinutes(5);

    private Resume(Map<String, Long> seqs, long at) {
        this.seqs = seqs;
        this.at = at;
    }

    /** What a socket had seen, as a host works it out rather than a client claims it (a recovery on another host, {@link RecoveryAcrossHosts}). */
    static Resume of(Map<String, Long> seqs, long at) {
        return new Resume(new LinkedHashMap<>(seqs), at);
    }

    /** The resume state in a handshake, or null when there is none (or it is not well formed). */
    static Resume parse(Object auth) {
        if (!(auth instanceof Map<?, ?> map)
                || !(map.get("resume") instanceof Map<?, ?> resume)
                || !(resume.get("seqs") instanceof Map<?, ?> given)
                || given.size() > MAX_CONVERSATIONS) {
            return null;
        }
        Map<String, Long> seqs = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (key instanceof String conversation
                    && conversation.length() <= 200
                    && value instanceof Number n
                    && n.longValue() >= 0) {
                seqs.put(conversation, n.longValue());
            }
        });
        long at = resume.get("at") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        return new Resume(seqs, at);
    }

    /**
     * The rooms to put the socket back in: each {@code #room} conversation named, when
     * {@link RoomRules} allow it and {@code usersRooms} (where its user was) holds it.
     */
    List<String> rooms(Set<String> usersRooms) {
        List<String> rooms = new ArrayList<>();
        for (String conversation : seqs.keySet()) {
            if (conversation.startsWith("#")) {
                String room = conversation.substring(1);
                if (RoomRules.checkJoinable(room).isEmpty() && usersRooms.contains(room)) {
                    rooms.add(room);
                }
            }
        }
        return rooms;
    }

    /**
     * Where the replay starts in each conversation {@code user} may read now: Everyone, the
     * {@code rooms} it is back in, its direct conversations named, and those it did not know that
     * moved since {@code at}, among {@code directs} (the user's, {@link #directsOf}). Runs on the
     * history thread.
     */
    List<Cursor> cursors(MessageStore store, String user, List<String> rooms, Set<String> directs) {
        return cursors(store, user, rooms, directs, MAX_REPLAY);
    }

    /** {@link #cursors(MessageStore, String, List, Set)} with {@code limit} messages at most in each conversation named. */
    List<Cursor> cursors(MessageStore store, String user, List<String> rooms, Set<String> directs, int limit) {
        List<Cursor> cursors = new ArrayList<>();
        seqs.forEach((conversation, seq) -> {
            if (Conversations.readable(conversation, user, rooms::contains)) {
                cursors.add(new Cursor(conversation, seq, limit));
            }
        });
        for (String direct : directs) {
            if (!seqs.containsKey(direct)) {
                // From the first message at or after `at`, less a slack: one in the same millisecond
                // as the last seen may be new, another host's clock may run behind, and one lost on
                // its way (a crash between storing and telling the cluster) is older than what came
                // after it. The client saw nothing of this conversation, so nothing comes twice.
                Instant from = Instant.ofEpochMilli(at).minus(UNNAMED_SLACK);
                for (StoredMessage message : store.before(direct, Long.MAX_VALUE, MAX_REPLAY)) {
                    if (!message.message().time().isBefore(from)) {
                        cursors.add(new Cursor(direct, message.seq() - 1, limit));
                        break;
                    }
                }
            }
        }
        return cursors;
    }

    /** Where {@code cursors} start in the conversations this resume did not name (the direct ones the host found). */
    Map<String, Long> unnamedStarts(List<Cursor> cursors) {
        Map<String, Long> starts = new LinkedHashMap<>();
        cursors.stream()
                .filter(c -> !seqs.containsKey(c.conversation()))
                .forEach(c -> starts.put(c.conversation(), c.after()));
        return starts;
    }

    /** The direct conversations {@code user} is in, each with its highest seq now. Runs on the history thread. */
    static Map<String, Long> directsOf(MessageStore store, String user) {
        Map<String, Long> directs = new LinkedHashMap<>();
        for (String direct : store.conversations("@")) {
            if (Conversations.isParticipant(direct, user)) {
                directs.put(direct, store.latestSeq(direct));
            }
        }
        return directs;
    }

    /**
     * The user's direct conversations that no cursor {@code covered} and that moved after the plan
     * ({@code atPlan}, from {@link #directsOf}), each from where it stood then, 0 for one begun
     * since. The socket does not hear direct messages live until its replay ends, so without these
     * what was said to it during the replay would reach it neither way, and its next resume, whose
     * {@code at} is past them, would not name them either. Runs on the history thread, under the
     * lock of the replay's last step.
     */
    static List<Cursor> movedSincePlan(MessageStore store, String user, Map<String, Long> atPlan, Set<String> covered) {
        List<Cursor> cursors = new ArrayList<>();
        directsOf(store, user).forEach((direct, latest) -> {
            long then = atPlan.getOrDefault(direct, 0L);
            if (!covered.contains(direct) && latest > then) {
                cursors.add(new Cursor(direct, then, MAX_REPLAY));
            }
        });
        return cursors;
    }
}
