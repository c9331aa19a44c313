package app.parley.ui.chat;

import app.parley.protocol.Target;
import app.parley.session.SessionEvent;
import app.parley.ui.lines.ConversationLine;
import java.util.List;
import java.util.Optional;

/** Who came, left, renamed or changed rooms, as notice lines in the conversations it concerns. */
final class PresenceNotices {
    /** More arrivals or departures than this in one batch become one summary line. */
    private static final int PRESENCE_LINES_PER_BATCH = 3;

    private final PeopleModel people;
    private final ConversationDirectory conversations;

    PresenceNotices(PeopleModel people, ConversationDirectory conversations) {
        this.people = people;
        this.conversations = conversations;
    }

    /** What a new people list changed: direct conversations retitled, comings and goings in Everyone. */
    void peers(PeopleModel.Changes changes) {
        conversations.retitle();
        presenceLines(changes.arrived(), " connected", "people connected");
        presenceLines(changes.departed(), " left", "people left");
        changes.renamed().forEach(line -> conversations.everyone().lines().add(ConversationLine.notice(line)));
    }

    private void presenceLines(List<String> who, String verb, String many) {
        List<ConversationLine> everyone = conversations.everyone().lines();
        if (who.size() > PRESENCE_LINES_PER_BATCH) {
            everyone.add(ConversationLine.notice(who.size() + " " + many));
        } else {
            who.forEach(label -> everyone.add(ConversationLine.notice(label + verb)));
        }
    }

    /** A room's new member list; {@code myId} is shown as "you" and its comings and goings are not news. */
    void roomMembers(SessionEvent.RoomMembersChanged changed, String myId) {
        List<String> before = people.members(changed.room(), changed.members());
        Optional<Conversation> room = conversations.find(new Target.Room(changed.room()));
        room.ifPresent(c -> c.setMembers(changed.members().stream()
                .map(id -> id.equals(myId) ? "you" : people.labelOf(id))
                .toList()));
        if (before == null || room.isEmpty()) {
            return; // the first list is who was there already: no news
        }
        for (String id : changed.members()) {
            if (!before.contains(id) && !id.equals(myId)) {
                room.get().lines().add(ConversationLine.notice(people.labelOf(id) + " joined #" + changed.room()));
            }
        }
        for (String id : before) {
            if (!changed.members().contains(id) && !id.equals(myId)) {
                room.get().lines().add(ConversationLine.notice(people.labelOf(id) + " left #" + changed.room()));
            }
        }
    }
}
