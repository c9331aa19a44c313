package app.parley.sockets;

import java.util.List;
import java.util.Optional;

/**
 * What may be done to the inventory's chat sockets, through the host's own paths: a join here is
 * what the socket's own {@code join-room} would do (membership stored, presence told, the room's
 * live traffic from now on), a disconnect is a kick. Each method checks its arguments and says why
 * it did nothing instead of throwing; a socket that is not connected is not an error, only nothing
 * to do. Thread-safe; never blocks.
 */
public interface SocketControl {
    /** The namespace these commands act on: the chat's. */
    String CHAT_NAMESPACE = "/";

    /** @return why nothing was done, or empty when the join was started */
    Optional<String> join(String socketId, String room);

    /** @return why nothing was done, or empty when the leave was started */
    Optional<String> leave(String socketId, String room);

    /**
     * Disconnects the socket; {@code closeConnection} also closes the connection under it (every
     * namespace on it), else only its chat socket is disconnected and the client is told.
     *
     * @return why nothing was done, or empty when it was disconnected
     */
    Optional<String> disconnect(String socketId, boolean closeConnection, String reason);

    /**
     * Sends an event to the chat sockets in {@code room} (a room name or a socket id), or to every
     * chat socket when {@code room} is null (Node: {@code io.in(room).emit(event, ...args)}).
     *
     * @param args plain JSON values (maps, lists, strings, numbers, booleans, null)
     * @return why nothing was sent, or empty when it was
     */
    Optional<String> emit(String room, String event, List<Object> args);
}
