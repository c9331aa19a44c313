package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The window's conversations: Everyone, each room and each direct conversation, found or made
 * on demand. A direct conversation follows its user across reconnects (a new socket id).
 */
final class ConversationDirectory {
    private final Conversation everyone = new Conversation(Target.EVERYONE, "Everyone");
    private final ObservableList<Conversation> conversations = FXCollections.observableArrayList(everyone);
    private final PeopleModel people;
    private final Consumer<Conversation> added;

    /** @param added runs for each conversation made here (to load its latest page) */
    ConversationDirectory(PeopleModel people, Consumer<Conversation> added) {
        this.people = people;
        this.added = added;
    }

    Conversation everyone() {
        return everyone;
    }

    ObservableList<Conversation> all() {
        return conversations;
    }

    /** Where a message shows. */
    Conversation of(ChatMessage message) {
        return switch (message.kind()) {
            case ROOM -> message.room() == null ? everyone : room(message.room());
            case DIRECT -> message.from() == null ? everyone : direct(message.from());
            default -> everyone;
        };
    }

    /** Where a message sent to {@code target} shows. */
    Conversation of(Target target) {
        return target instanceof Target.Room room
                ? room(room.name())
                : target instanceof Target.Direct direct ? direct(direct.socketId()) : everyone;
    }

    Optional<Conversation> find(Target target) {
        return conversations.stream().filter(c -> c.target().equals(target)).findFirst();
    }

    Conversation room(String room) {
        return find(new Target.Room(room)).orElseGet(() -> add(new Conversation(new Target.Room(room), "#" + room)));
    }

    Conversation direct(String socketId) {
        String user = people.userOf(socketId);
        if (user != null) {
            for (Conversation conversation : conversations) {
                if (conversation.target() instanceof Target.Direct direct
                        && !direct.socketId().equals(socketId)
                        && user.equals(people.userOf(direct.socketId()))) {
                    conversation.retarget(new Target.Direct(socketId));
                    return conversation;
                }
            }
        }
        return find(new Target.Direct(socketId))
                .orElseGet(() -> add(new Conversation(new Target.Direct(socketId), "@" + people.labelOf(socketId))));
    }

    /** The rooms the session is in now: one conversation each, and none for a room left. */
    void rooms(List<String> rooms) {
        rooms.forEach(this::room);
        conversations.removeIf(c -> c.target() instanceof Target.Room room && !rooms.contains(room.name()));
    }

    /** Direct conversations are titled with the other person's current name. */
    void retitle() {
        for (Conversation conversation : conversations) {
            if (conversation.target() instanceof Target.Direct direct) {
                conversation.setTitle("@" + people.labelOf(direct.socketId()));
            }
        }
    }

    private Conversation add(Conversation conversation) {
        conversations.add(conversation);
        added.accept(conversation);
        return conversation;
    }
}
