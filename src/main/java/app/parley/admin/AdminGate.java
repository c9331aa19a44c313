package app.parley.admin;

import com.corundumstudio.socketio.SocketIOClient;
import java.util.Optional;

/**
 * The host's rules the admin namespace is held to, as every namespace is: password guessing
 * slowed per address and per connection, and a budget for what a socket may ask per second.
 * Implemented by the host; called on I/O threads.
 */
public interface AdminGate {
    /** Why a CONNECT from this client is refused before its credentials are looked at, if it is. */
    Optional<String> shutOut(SocketIOClient client);

    /** Wrong credentials: counted against the address and the connection (which may be closed for it). */
    void failed(SocketIOClient client);

    /** The right credentials: the address starts over. */
    void succeeded(SocketIOClient client);

    /** Takes one command from the socket's budget; past it, says why. */
    Optional<String> overRate(SocketIOClient client);
}
