package app.parley.ui.chat;

import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent;
import app.parley.ui.lines.ConversationLine;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Where the connection stands and who we are on it: its state, our socket id and granted name, and
 * what connecting, dropping and each people list do to the people list. Apart from
 * {@link ChatViewModel} so the lifecycle of one connection reads in one place.
 */
final class ConnectionStatus {
    private final ReadOnlyStringWrapper myId = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper myName = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ConnectionState> state =
            new ReadOnlyObjectWrapper<>(ConnectionState.CONNECTING);
    /**
     * What the people list says while it is empty: that nobody else is here, or, while not
     * connected, that nobody's presence is known (the list is cleared until the next connection).
     */
    private final StringExpression peoplePlaceholder = Bindings.when(state.isEqualTo(ConnectionState.CONNECTED))
            .then("Nobody else yet")
            .otherwise("Not connected");

    private final ReadOnlyStringWrapper stateDetail = new ReadOnlyStringWrapper("");
    private final PeopleModel people;
    private final ConversationDirectory conversations;
    private final PresenceNotices presence;
    private final Consumer<Conversation> loadLatest;
    private boolean everConnected;
    private Consumer<String> refusedAtTheDoor = detail -> {};

    /** @param loadLatest asks for a conversation's latest history page */
    ConnectionStatus(
            PeopleModel people,
            ConversationDirectory conversations,
            PresenceNotices presence,
            Consumer<Conversation> loadLatest) {
        this.people = people;
        this.conversations = conversations;
        this.presence = presence;
        this.loadLatest = loadLatest;
    }

    ReadOnlyStringProperty myIdProperty() {
        return myId.getReadOnlyProperty();
    }

    /** Our socket id; empty while not connected. */
    String myId() {
        return myId.get();
    }

    String myName() {
        return myName.get();
    }

    ReadOnlyStringProperty myNameProperty() {
        return myName.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    ReadOnlyStringProperty stateDetailProperty() {
        return stateDetail.getReadOnlyProperty();
    }

    StringExpression peoplePlaceholder() {
        return peoplePlaceholder;
    }

    /** See {@link ChatViewModel#onRefusedAtTheDoor}. */
    void onRefusedAtTheDoor(Consumer<String> action) {
        refusedAtTheDoor = action;
    }

    void connected(SessionEvent.Connected connected) {
        everConnected = true;
        people.connected();
        myId.set(connected.socketId());
        conversations.everyone().lines().add(ConversationLine.notice("You connected with id: " + connected.socketId()));
    }

    void stateChanged(SessionEvent.StateChanged changed) {
        state.set(changed.state());
        stateDetail.set(changed.detail());
        if (changed.state() != ConnectionState.CONNECTED) {
            myId.set("");
            // Who is here is unknown until the next connection says so.
            people.forget();
        }
        if (changed.state() == ConnectionState.DISCONNECTED && !everConnected) {
            refusedAtTheDoor.accept(changed.detail());
        }
    }

    void peers(SessionEvent.PeersChanged changed) {
        PeopleModel.Changes changes = people.update(changed, myId.get());
        myName.set(people.nameOf(myId.get()));
        presence.peers(changes);
        if (changes.first()) {
            // A Parley host: what was said before we came is a history page away.
            conversations.all().forEach(loadLatest);
        }
    }
}
