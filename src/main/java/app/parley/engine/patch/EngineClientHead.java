package app.parley.engine.patch;

import com.corundumstudio.socketio.AckCallback;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.channel.ChannelFuture;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * netty-socketio's per-connection client with its transport taken away: what the library sends
 * arrives at {@link #sendMessage}, its own pings are off (the engine has its heartbeat), and the
 * namespaces, listeners and acks are reached by name through the methods here, so a subclass needs
 * none of the library's implementation classes.
 */
public abstract class EngineClientHead extends ClientHead {
    private final ServerParts parts;

    protected EngineClientHead(
            ServerParts parts, HandshakeData handshake, Map<String, List<String>> params, boolean webSocket) {
        this(parts, handshake, params, webSocket, UUID.randomUUID());
    }

    /** A client whose socket id is {@code socketId}: a recovered socket takes its id back (docs/PROTOCOL.md §16). */
    protected EngineClientHead(
            ServerParts parts,
            HandshakeData handshake,
            Map<String, List<String>> params,
            boolean webSocket,
            UUID socketId) {
        super(
                socketId,
                parts.acks,
                parts.disconnectables,
                parts.configuration.getStoreFactory(),
                handshake,
                parts.clientsBox,
                webSocket ? Transport.WEBSOCKET : Transport.POLLING,
                parts.scheduler,
                parts.configuration,
                params);
        this.parts = parts;
    }

    /** The client under {@code socket}, or null when it is not on one of these. */
    public static EngineClientHead of(SocketIOClient socket) {
        return socket instanceof NamespaceClient child && child.getBaseClient() instanceof EngineClientHead client
                ? client
                : null;
    }

    /** A MESSAGE packet the library sends this client. */
    protected abstract void sendMessage(Packet packet);

    /** Whether the client is on a WebSocket now (else long-polling). */
    protected abstract boolean isOnWebSocket();

    /** Whether the connection under the client has closed. */
    protected abstract boolean isConnectionClosed();

    /** Namespace {@code nsp} as this client joins it, or null when the server has no such namespace. */
    protected final Joining joining(String nsp) {
        Namespace namespace = parts.namespaces.get(nsp);
        return namespace == null ? null : new Joining(namespace);
    }

    /** A namespace this client is joining: its socket there, from CONNECT to the auth listener's answer. */
    protected final class Joining {
        private final Namespace namespace;
        private NamespaceClient socket;

        private Joining(Namespace namespace) {
            this.namespace = namespace;
        }

        /** Adds the client's socket to the namespace, with the {@code auth} its CONNECT carried. */
        public void enter(Map<String, Object> auth) {
            socket = addNamespaceClient(namespace);
            getHandshakeData().setAuthToken(auth);
        }

        /** The namespace's auth listeners' answer; what they throw is thrown. */
        public AuthTokenResult authorize(Map<String, Object> auth) {
            return namespace.onAuthData(socket, auth);
        }

        /** Refused: the socket leaves the namespace. */
        public void leave() {
            removeNamespaceClient(socket);
        }

        /** Accepted: the namespace's connect listeners run. */
        public void connect() {
            namespace.onConnect(socket);
        }
    }

    /** The client's socket in namespace {@code nsp}, or null when there is none. */
    protected final SocketIOClient socketIn(String nsp) {
        Namespace namespace = parts.namespaces.get(nsp);
        return namespace == null ? null : getChildClient(namespace);
    }

    /** The socket leaves its namespace, whose disconnect listeners run. */
    protected static void onSocketDisconnect(SocketIOClient socket) {
        ((NamespaceClient) socket).onDisconnect();
    }

    /** Hands a packet from the client to {@code socket}'s listeners or acks, as the library's decoder would. */
    protected final void deliver(Packet packet, SocketIOClient socket) {
        parts.packetListener.onPacket(packet, (NamespaceClient) socket, getCurrentTransport());
    }

    /** What waits for the client's ack {@code ackId}, or null when nothing does (unknown or expired). */
    protected final AckCallback<?> ackCallback(long ackId) {
        return parts.acks.getCallback(getSessionId(), ackId);
    }

    // ---- netty-socketio's sending side, rerouted to the subclass ----

    @Override
    public final ChannelFuture send(Packet packet, Transport transport) {
        if (packet.getType() != PacketType.MESSAGE) {
            return null; // the engine does its own pings and noops
        }
        sendMessage(packet);
        return null;
    }

    @Override
    public final Transport getCurrentTransport() {
        return isOnWebSocket() ? Transport.WEBSOCKET : Transport.POLLING;
    }

    @Override
    public final boolean isChannelOpen() {
        return !isConnectionClosed();
    }

    @Override
    public final boolean isWritable() {
        return !isConnectionClosed();
    }

    @Override
    public final void schedulePing() {
        // the engine's own heartbeat replaces the library's
    }

    @Override
    public final void schedulePingTimeout() {
        // the engine's own heartbeat replaces the library's
    }
}
