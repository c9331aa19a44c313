package app.parley.host;

import com.corundumstudio.socketio.SocketIOClient;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every socket the host knows, by id: made at its first CONNECT ({@link Admission}), forgotten at
 * its disconnect ({@link HostServer}) and nowhere else. Thread-safe.
 */
final class Guests {
    private final Map<UUID, Guest> all = new ConcurrentHashMap<>();
    private final ChatBudgets budgets;

    Guests(ChatBudgets budgets) {
        this.budgets = budgets;
    }

    /** The socket sending a CONNECT: known already when it tried before on this connection. */
    Guest connecting(UUID id) {
        return all.computeIfAbsent(id, this::newGuest);
    }

    /**
     * The socket an event came from. One already gone (an event still in flight at its disconnect)
     * gets a stand-in that is kept nowhere, so it leaves nothing behind.
     */
    Guest of(SocketIOClient client) {
        Guest guest = all.get(client.getSessionId());
        return guest != null ? guest : newGuest(client.getSessionId());
    }

    /** Sockets connected now, admitted or not. */
    int count() {
        return all.size();
    }

    Optional<Guest> find(UUID id) {
        return Optional.ofNullable(all.get(id));
    }

    /** The user of the socket with this (canonical) id: its accepted one, else a user of its own. */
    String userOf(String socketId) {
        Guest guest = all.get(UUID.fromString(socketId));
        String user = guest == null ? null : guest.acceptedUser();
        return user != null ? user : "s:" + socketId;
    }

    /** The socket disconnected: the one place it is forgotten. */
    void remove(UUID id) {
        all.remove(id);
    }

    private Guest newGuest(UUID id) {
        return new Guest(id, budgets.connectionBudget());
    }
}
