package app.parley.engine;

import static app.parley.engine.SocketIoEncoder.header;

import app.parley.engine.patch.EngineClientHead;
import app.parley.engine.patch.ServerParts;
import com.corundumstudio.socketio.AckCallback;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.protocol.AckArgs;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Event;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO v5 on top of Parley's Engine.IO sessions, driving netty-socketio's namespaces, rooms,
 * listeners and acks. Each session gets a {@link SessionClient}, netty-socketio's per-connection
 * object with its transport replaced ({@link EngineClientHead}, in the library's patch room): what
 * the library sends is encoded ({@link SocketIoEncoder}) and queued on the Engine.IO session. What
 * clients send is parsed strictly by {@link SocketIoPacket}, then handed to the library as if its
 * own decoder had read it.
 *
 * <p>The Socket.IO id of a socket (what rooms, peers and direct messages use, and what the CONNECT
 * answer carries) is not its Engine.IO session id: knowing someone's socket id does not let
 * anyone post into their session.
 */
final class SocketIoEndpoint implements EngineEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SocketIoEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineSettings settings;
    private final ServerParts parts;
    private final JsonSupport json;
    private final SocketIoEncoder encoder;
    private final CatchAllJsonSupport catchAll;
    /** Who hears of upgrades and closes ({@link SocketIoEngine#addConnectionListener}). */
    private final List<ConnectionListener> connectionListeners;
    /** What sees every event ({@link SocketIoEngine#tapEvents}); empty when nothing does. */
    private final java.util.concurrent.atomic.AtomicReference<EventTap> tap;
    /** Connection state recovery, or null while it is off (docs/PROTOCOL.md §16). */
    private final java.util.function.Supplier<SocketRecovery> recovery;

    SocketIoEndpoint(
            EngineSettings settings,
            ServerParts parts,
            CatchAllJsonSupport catchAll,
            List<ConnectionListener> connectionListeners,
            java.util.concurrent.atomic.AtomicReference<EventTap> tap,
            java.util.function.Supplier<SocketRecovery> recovery) {
        this.catchAll = catchAll;
        this.connectionListeners = connectionListeners;
        this.tap = tap;
        this.recovery = recovery;
        this.settings = settings;
        this.parts = parts;
        this.json = parts.configuration().getJsonSupport();
        this.encoder = new SocketIoEncoder(json);
    }

    /** Creates the session's netty-socketio client. */
    @Override
    public void onOpen(
            EngineSession session,
            FullHttpRequest request,
            io.netty.channel.Channel channel,
            Map<String, List<String>> params) {
        HandshakeData handshake = new HandshakeData(
                request.headers(),
                params,
                ClientAddress.of(
                        (InetSocketAddress) channel.remoteAddress(),
                        request.headers(),
                        settings.limits().trustedProxies()),
                (InetSocketAddress) channel.localAddress(),
                request.uri(),
                request.headers().contains("Origin"));
        SessionClient client = new SessionClient(session, handshake, params, UUID.randomUUID());
        session.attach(client);
        client.connectDeadline = sessionTimer(
                session,
                () -> {
                    if (client.connected.isEmpty()) {
                        session.close(
                                "no CONNECT within " + settings.connectTimeoutMillis() + " ms",
                                EngineSession.Farewell.CLOSE);
                    }
                },
                settings.connectTimeoutMillis());
    }

    private static ScheduledFuture<?> sessionTimer(EngineSession session, Runnable task, long millis) {
        return session.timers().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(EngineSession session, EngineFrame message) throws SocketIoPacket.Malformed {
        SessionClient client = (SessionClient) session.attachment();
        if (message.isBinary()) {
            if (client.pendingBinary != null) {
                client.count(client.pendingBinary.packet, message.weight(), true);
            }
            client.addAttachment(message.binary());
            return;
        }
        if (client.pendingBinary != null) {
            throw new SocketIoPacket.Malformed("text packet while binary attachments were expected");
        }
        SocketIoPacket packet = SocketIoPacket.parse(message.text(), settings.maxAttachments());
        client.count(packet, message.weight(), false);
        if (packet.eventName().filter(CatchAllJsonSupport.CUSTOM_EVENT::equals).isPresent()) {
            throw new SocketIoPacket.Malformed("reserved event name");
        }
        if (packet.attachments() > 0) {
            client.pendingBinary = new PendingBinary(packet);
            return;
        }
        client.dispatch(packet, null);
    }

    /** What {@code socket} has sent and received, or null when it is not connected through this endpoint. */
    static SocketTraffic trafficOf(SocketIOClient socket) {
        return EngineClientHead.of(socket) instanceof SessionClient client
                ? client.traffic.get(socket.getNamespace().getName())
                : null;
    }

    @Override
    public void onUpgrade(EngineSession session) {
        if (session.attachment() instanceof SessionClient client) {
            for (ConnectionListener listener : connectionListeners) {
                listener.upgraded(client.getSessionId());
            }
        }
    }

    /** The Engine.IO session under a socket, or null when it is not one of this endpoint's. */
    static EngineSession sessionOf(SocketIOClient socket) {
        return EngineClientHead.of(socket) instanceof SessionClient client ? client.session : null;
    }

    @Override
    public void onClose(EngineSession session, String reason) {
        SessionClient client = (SessionClient) session.attachment();
        if (client != null) {
            if (client.connectDeadline != null) {
                client.connectDeadline.cancel(false);
            }
            for (ConnectionListener listener : connectionListeners) {
                listener.closed(client.getSessionId(), reason);
            }
            client.recoveryState.closed(reason, recovery.get(), client::connectedClient);
            client.onChannelDisconnect();
        }
    }

    /** A binary packet waiting for its attachments. */
    private static final class PendingBinary {
        final SocketIoPacket packet;
        final List<byte[]> attachments = new ArrayList<>();

        PendingBinary(SocketIoPacket packet) {
            this.packet = packet;
        }
    }

    /** netty-socketio's per-connection client, sending through the Engine.IO session. */
    private final class SessionClient extends EngineClientHead {
        private final EngineSession session;
        private final Map<String, List<String>> params;
        private final Set<String> connected = ConcurrentHashMap.newKeySet();
        /** Each connected socket's counters, by library namespace name. */
        private final Map<String, SocketTraffic> traffic = new ConcurrentHashMap<>();

        private PendingBinary pendingBinary;
        private volatile ScheduledFuture<?> connectDeadline;
        private final RecoveryState recoveryState = new RecoveryState();

        SessionClient(EngineSession session, HandshakeData handshake, Map<String, List<String>> params, UUID socketId) {
            super(parts, handshake, params, session.transport() == EngineSession.Transport.WEBSOCKET, socketId);
            this.session = session;
            this.params = params;
        }

        /** Counts a packet (or one of its attachments) for the socket it is addressed to, once connected. */
        void count(SocketIoPacket packet, int bytes, boolean attachment) {
            SocketTraffic counters = traffic.get(packet.libraryNamespace());
            if (counters == null) {
                return;
            }
            if (attachment) {
                counters.receivedAttachment(bytes);
            } else {
                counters.received(bytes);
            }
        }

        void addAttachment(byte[] bytes) throws SocketIoPacket.Malformed {
            if (pendingBinary == null) {
                throw new SocketIoPacket.Malformed("binary message without a binary packet announcing it");
            }
            pendingBinary.attachments.add(bytes);
            if (pendingBinary.attachments.size() == pendingBinary.packet.attachments()) {
                PendingBinary complete = pendingBinary;
                pendingBinary = null;
                dispatch(complete.packet, complete.attachments);
            }
        }

        void dispatch(SocketIoPacket packet, List<byte[]> attachments) throws SocketIoPacket.Malformed {
            String nsp = packet.libraryNamespace();
            switch (packet.type()) {
                case SocketIoPacket.CONNECT -> connect(packet, nsp);
                case SocketIoPacket.DISCONNECT -> {
                    SocketIOClient client = connectedClient(nsp);
                    if (client != null) {
                        connected.remove(nsp);
                        traffic.remove(nsp);
                        onSocketDisconnect(client);
                    }
                }
                case SocketIoPacket.EVENT, SocketIoPacket.BINARY_EVENT -> event(packet, nsp, attachments);
                case SocketIoPacket.ACK, SocketIoPacket.BINARY_ACK -> ack(packet, nsp, attachments);
                default -> throw new SocketIoPacket.Malformed("unexpected packet type " + packet.type());
            }
        }

        private void connect(SocketIoPacket packet, String nsp) {
            Joining namespace = joining(nsp);
            if (namespace == null) {
                session.send(
                        EngineFrame.text(header(PacketType.ERROR, nsp, null) + "{\"message\":\"Invalid namespace\"}"));
                return;
            }
            if (connected.contains(nsp)) {
                LOG.debug("{} sent a second CONNECT for {}; ignored", getSessionId(), packet.namespace());
                return;
            }
            Map<String, Object> auth = packet.payload() == null ? new LinkedHashMap<>() : toMap(packet.payload());
            SocketRecovery keeper = recovery.get();
            RecoveryState.Claim claim = keeper == null ? null : RecoveryState.takeClaim(auth);
            if (claim != null) {
                // Only a client with no socket yet can become another: its id is all its sockets'.
                UUID back = connected.isEmpty() && !recoveryState.holdsPid()
                        ? keeper.takeBack(nsp, claim.pid(), claim.offset())
                        : null;
                if (back != null) {
                    SessionClient restored = new SessionClient(session, getHandshakeData(), params, back);
                    restored.connectDeadline = connectDeadline;
                    session.attach(restored);
                    restored.admit(restored.joining(nsp), nsp, auth, keeper);
                    return;
                }
            }
            admit(namespace, nsp, auth, keeper);
        }

        /** Runs the auth listeners on a CONNECT and answers it. */
        private void admit(Joining namespace, String nsp, Map<String, Object> auth, SocketRecovery keeper) {
            namespace.enter(auth);
            AuthTokenResult result;
            try {
                result = namespace.authorize(auth);
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "auth listener failures")
                        .failure(e, "An auth listener failed for {}", getSessionId());
                result = new AuthTokenResult(false, Map.of("message", "Server error"));
            }
            if (!result.isSuccess()) {
                namespace.leave();
                Object error = result.getErrorData() instanceof String text
                        ? Map.of("message", text)
                        : result.getErrorData() == null ? Map.of("message", "Not authorized") : result.getErrorData();
                session.send(EngineFrame.text(header(PacketType.ERROR, nsp, null)
                        + encoder.write(error).text()));
                return;
            }
            traffic.put(nsp, new SocketTraffic());
            connected.add(nsp);
            if (connectDeadline != null) {
                connectDeadline.cancel(false);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sid", getSessionId().toString());
            if (keeper != null && !recoveryState.holdsPid()) {
                try {
                    SocketRecovery.Grant grant = keeper.grant(socketIn(nsp), auth);
                    if (grant != null) {
                        recoveryState.granted(grant, nsp, answer);
                    }
                } catch (RuntimeException e) {
                    ThrottledLog.warn(LOG, "recovery failures").failure(e, "No recovery for {}", getSessionId());
                }
            }
            session.send(EngineFrame.text(header(PacketType.CONNECT, nsp, null)
                    + encoder.write(answer).text()));
            namespace.connect();
        }

        private void event(SocketIoPacket packet, String nsp, List<byte[]> attachments)
                throws SocketIoPacket.Malformed {
            SocketIOClient client = requireConnected(nsp);
            Event event;
            try {
                if (attachments == null) {
                    event = json.readValue(nsp, input(packet.rawPayload()), Event.class);
                } else {
                    List<Object> values = toList(withAttachments(packet.payload(), attachments));
                    String name = (String) values.get(0);
                    event = catchAll.event(nsp, name, new ArrayList<>(values.subList(1, values.size())));
                }
            } catch (IOException | RuntimeException e) {
                throw new SocketIoPacket.Malformed("EVENT arguments could not be read: " + e.getMessage());
            }
            Packet p = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
            p.setSubType(PacketType.EVENT);
            p.setNsp(nsp);
            p.setName(event.getName());
            p.setData(event.getArgs() == null ? List.of() : event.getArgs());
            if (packet.ackId() >= 0) {
                p.setAckId(packet.ackId());
            }
            EventTap watcher = tap.get();
            if (watcher != null) {
                tapReceived(watcher, nsp, event);
            }
            handOver(p, client);
        }

        private void tapReceived(EventTap watcher, String nsp, Event event) {
            if (CatchAllJsonSupport.CUSTOM_EVENT.equals(event.getName())
                    && event.getArgs().size() == 1
                    && event.getArgs().get(0) instanceof CatchAllJsonSupport.CustomEvent custom) {
                watcher.received(getSessionId(), publicName(nsp), custom.name(), custom.args());
            } else {
                watcher.received(
                        getSessionId(),
                        publicName(nsp),
                        event.getName(),
                        event.getArgs() == null ? List.of() : event.getArgs());
            }
        }

        private void ack(SocketIoPacket packet, String nsp, List<byte[]> attachments) throws SocketIoPacket.Malformed {
            SocketIOClient client = requireConnected(nsp);
            AckCallback<?> callback = ackCallback(packet.ackId());
            if (callback == null) {
                return; // unknown or expired ack id: nothing waits for it
            }
            List<Object> args;
            try {
                if (attachments == null) {
                    AckArgs ackArgs = json.readAckArgs(input(packet.rawPayload()), callback);
                    args = ackArgs.getArgs();
                } else {
                    args = toList(withAttachments(packet.payload(), attachments));
                }
            } catch (IOException | RuntimeException e) {
                throw new SocketIoPacket.Malformed("ACK arguments could not be read: " + e.getMessage());
            }
            Packet p = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
            p.setSubType(PacketType.ACK);
            p.setNsp(nsp);
            p.setAckId(packet.ackId());
            p.setData(args);
            handOver(p, client);
        }

        private void handOver(Packet packet, SocketIOClient client) {
            try {
                deliver(packet, client);
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "listener failures")
                        .failure(e, "A listener failed on a packet from {}", getSessionId());
            }
        }

        private SocketIOClient requireConnected(String nsp) throws SocketIoPacket.Malformed {
            SocketIOClient client = connectedClient(nsp);
            if (client == null) {
                throw new SocketIoPacket.Malformed(
                        "packet for namespace " + (nsp.isEmpty() ? "/" : nsp) + " before connecting to it");
            }
            return client;
        }

        private SocketIOClient connectedClient(String nsp) {
            return connected.contains(nsp) ? socketIn(nsp) : null;
        }

        // ---- netty-socketio's sending side, rerouted to the Engine.IO session ----

        @Override
        protected void sendMessage(Packet packet) {
            List<EngineFrame> frames = encoder.encodeShared(packet);
            recoveryState.send(packet, frames, session::sendAll);
            String nsp = packet.getNsp() == null ? "" : packet.getNsp();
            SocketTraffic counters = traffic.get(nsp);
            if (counters != null) {
                long bytes = 0;
                for (int i = 0; i < frames.size(); i++) {
                    bytes += frames.get(i).weight();
                }
                counters.sent(bytes);
            }
            EventTap watcher = tap.get();
            if (watcher != null && packet.getSubType() == PacketType.EVENT) {
                watcher.sent(
                        getSessionId(),
                        publicName(nsp),
                        packet.getName(),
                        packet.getData() == null ? List.of() : packet.getData());
            }
            if (packet.getSubType() == PacketType.DISCONNECT) {
                // A server-side socket.disconnect(): the library sends the packet but forgets the socket.
                SocketIOClient client = connectedClient(nsp);
                if (client != null) {
                    connected.remove(nsp);
                    traffic.remove(nsp);
                    onSocketDisconnect(client);
                }
            }
        }

        @Override
        public void disconnect() {
            for (String nsp : List.copyOf(connected)) {
                session.send(EngineFrame.text(header(PacketType.DISCONNECT, nsp, null)));
            }
            session.close("server disconnect", EngineSession.Farewell.CLOSE);
        }

        @Override
        protected boolean isOnWebSocket() {
            return session.transport() == EngineSession.Transport.WEBSOCKET;
        }

        @Override
        protected boolean isConnectionClosed() {
            return session.isClosed();
        }

        @Override
        public void onChannelDisconnect() {
            connected.clear();
            super.onChannelDisconnect();
        }
    }

    /** netty-socketio calls the main namespace {@code ""}; everyone else calls it {@code /}. */
    private static String publicName(String nsp) {
        return nsp.isEmpty() ? "/" : nsp;
    }

    private static ByteBufInputStream input(String text) {
        return new ByteBufInputStream(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return JSON.convertValue(node, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> toList(Object value) {
        return (List<Object>) value;
    }

    /** Plain Java values for a JSON tree, with each attachment placeholder replaced by its bytes. */
    private static Object withAttachments(JsonNode node, List<byte[]> attachments) throws SocketIoPacket.Malformed {
        if (node.isObject()) {
            if (node.size() == 2
                    && node.path("_placeholder").asBoolean(false)
                    && node.path("num").canConvertToInt()) {
                int num = node.get("num").asInt();
                if (num < 0 || num >= attachments.size()) {
                    throw new SocketIoPacket.Malformed("attachment placeholder " + num + " out of range");
                }
                return attachments.get(num);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                map.put(entry.getKey(), withAttachments(entry.getValue(), attachments));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode element : node) {
                list.add(withAttachments(element, attachments));
            }
            return list;
        }
        return JSON.convertValue(node, Object.class);
    }
}
