package app.parley.engine;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.List;
import java.util.Map;

/**
 * What runs on top of Engine.IO sessions at one path: Socket.IO at {@code /socket.io/}, or (for
 * the specification's test suite) a plain Engine.IO echo. Called on I/O threads; must not block.
 */
interface EngineEndpoint {
    /**
     * A session was opened by {@code request} on {@code channel}; called before its open packet is
     * sent, so what the endpoint sets up is there when the client's first packet arrives.
     */
    default void onOpen(
            EngineSession session, FullHttpRequest request, Channel channel, Map<String, List<String>> params) {}

    /**
     * A message packet arrived: {@code text} is what followed the {@code 4}, or {@code binary} is
     * a binary message.
     *
     * @throws SocketIoPacket.Malformed when the content breaks the protocol above Engine.IO; the
     *                                  engine then closes the session
     */
    void onMessage(EngineSession session, EngineFrame message) throws SocketIoPacket.Malformed;

    /** The session now runs on its WebSocket (the upgrade completed). */
    default void onUpgrade(EngineSession session) {}

    /** The session ended (client close, ping timeout, transport error, server close). */
    default void onClose(EngineSession session, String reason) {}
}
