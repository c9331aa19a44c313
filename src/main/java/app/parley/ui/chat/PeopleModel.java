package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.session.SessionEvent;
import app.parley.ui.chat.ChatViewModel.Person;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Who is here: the people list, the names they go by, the user behind each socket and who is in
 * each room. {@link ChatViewModel} turns what changed into lines; this keeps the facts.
 */
final class PeopleModel {
    private final ObservableList<Person> people = FXCollections.observableArrayList();
    private final Map<String, String> names = new HashMap<>();
    /** The name the host gave a socket id; empty when it gave none. */
    String nameOf(String socketId) {
        return names.getOrDefault(socketId, "");
    }

    /** The user behind each socket id (Parley hosts): who a direct conversation is with, across reconnects. */
    private final Map<String, String> users = new HashMap<>();

    private final Map<String, List<String>> roomMembers = new HashMap<>();
    /** Whether the people list since the last connect has arrived (history can be asked for then). */
    private boolean known;

    /** What one people list changed, as labels and sentences for the Everyone conversation. */
    record Changes(boolean first, List<String> arrived, List<String> departed, List<String> renamed) {}

    ObservableList<Person> people() {
        return people;
    }

    boolean known() {
        return known;
    }

    /** The name people read for a socket id. */
    String labelOf(String socketId) {
        return names.getOrDefault(socketId, socketId);
    }

    /** The user behind a socket id, or null when the host does not say. */
    String userOf(String socketId) {
        return users.get(socketId);
    }

    /** A new connection: its people list is still to come. */
    void connected() {
        known = false;
    }

    /** Not connected: who is here is unknown until the next connection says so. */
    void forget() {
        people.clear();
        roomMembers.clear();
        known = false;
    }

    /** Takes a new people list; {@code myId} never counts as an arrival. */
    Changes update(SessionEvent.PeersChanged changed, String myId) {
        boolean first = !known;
        List<String> arrived = new ArrayList<>();
        List<String> departed = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        for (Person person : people) {
            if (!changed.peers().contains(person.id())) {
                departed.add(person.label());
            } else if (person.name() != null
                    && changed.names().get(person.id()) != null
                    && !person.name().equals(changed.names().get(person.id()))) {
                renamed.add(
                        person.name() + " is now known as " + changed.names().get(person.id()));
            }
        }
        names.clear();
        names.putAll(changed.names());
        users.putAll(changed.users());
        List<Person> now = new ArrayList<>();
        for (String id : changed.peers()) {
            now.add(new Person(id, changed.names().get(id)));
            if (!first && people.stream().noneMatch(p -> p.id().equals(id)) && !id.equals(myId)) {
                arrived.add(labelOf(id));
            }
        }
        // Changes only what changed, so a person's selection in the list survives others coming and going.
        people.removeIf(p -> !now.contains(p));
        for (Person person : now) {
            if (!people.contains(person)) {
                people.add(person);
            }
        }
        known = true;
        return new Changes(first, arrived, departed, renamed);
    }

    /** Takes who is in a room now; returns who was before, or null when this is the first list. */
    List<String> members(String room, List<String> members) {
        return roomMembers.put(room, members);
    }

    /** Who is in the room now, by name; empty when the server does not say. */
    List<String> membersOf(String room) {
        return roomMembers.getOrDefault(room, List.of()).stream()
                .map(this::labelOf)
                .toList();
    }

    /** A message names its sender; servers that send no peers list still reveal who is talking. */
    void heard(ChatMessage message) {
        if (message.from() != null && !names.containsKey(message.from()) && message.name() != null) {
            names.put(message.from(), message.name());
        }
        if (!known && message.from() != null && people.stream().noneMatch(p -> p.id().equals(message.from()))) {
            people.add(new Person(message.from(), message.name()));
        }
    }
}
