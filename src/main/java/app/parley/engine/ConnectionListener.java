package app.parley.engine;

import java.util.UUID;

/**
 * Hears what happens under a connection's sockets, below the namespaces: the transport upgrade
 * and why the connection ended. {@code connection} is the netty-socketio client id, which every
 * socket of the connection shares ({@code SocketIOClient.getSessionId()}). Called on I/O threads;
 * must not block.
 */
public interface ConnectionListener {
    /** The connection moved from long-polling to its WebSocket. */
    default void upgraded(UUID connection) {}

    /**
     * The connection ended, called just before its sockets' disconnect listeners run.
     *
     * @param reason the engine's words, such as {@code transport close} or {@code ping timeout}
     */
    default void closed(UUID connection, String reason) {}
}
