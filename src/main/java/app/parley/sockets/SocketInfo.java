package app.parley.sockets;

import java.time.Instant;
import java.util.List;

/**
 * One connected socket as the inventory knows it: an immutable snapshot.
 *
 * @param id             the socket id (in Parley, a connection's sockets in every namespace share it)
 * @param connectionId   the connection it rides on; the same for each of the connection's sockets
 * @param namespace      {@code /} for the chat, {@code /admin} for Admin UI sockets
 * @param name           its chat name, or null (no name yet, or not a chat socket)
 * @param transport      polling or websocket, updated when the connection upgrades
 * @param remoteAddress  the peer's IP address as the host sees it
 * @param rooms          the chat rooms it is in, in the order it joined them (not its own id room)
 * @param connectedSince when its CONNECT was accepted
 * @param handshake      what its connection said when it opened
 * @param traffic        what it has sent and received, as of this snapshot
 */
public record SocketInfo(
        String id,
        String connectionId,
        String namespace,
        String name,
        Transport transport,
        String remoteAddress,
        List<String> rooms,
        Instant connectedSince,
        Handshake handshake,
        Traffic traffic) {
    public SocketInfo {
        rooms = List.copyOf(rooms);
    }

    /** Whether it is {@code id} in {@code namespace}. */
    public boolean is(String namespace, String id) {
        return this.namespace.equals(namespace) && this.id.equals(id);
    }
}
