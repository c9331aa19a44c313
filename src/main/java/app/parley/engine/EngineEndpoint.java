package app.parley.engine;

/**
 * What runs on top of Engine.IO sessions at one path: Socket.IO at {@code /socket.io/}, or (for
 * the specification's test suite) a plain Engine.IO echo. Called on I/O threads; must not block.
 */
interface EngineEndpoint {
    /** A session was opened; the open packet is already queued. */
    default void onOpen(EngineSession session) {
    }

    /**
     * A message packet arrived: {@code text} is what followed the {@code 4}, or {@code binary} is
     * a binary message.
     *
     * @throws SocketIoPacket.Malformed when the content breaks the protocol above Engine.IO; the
     *                                  engine then closes the session
     */
    void onMessage(EngineSession session, EngineFrame message) throws SocketIoPacket.Malformed;

    /** The session ended (client close, ping timeout, transport error, server close). */
    default void onClose(EngineSession session, String reason) {
    }

    /** Packets queued elsewhere for this session should be moved into its outbox now. */
    default void drain(EngineSession session) {
    }
}
