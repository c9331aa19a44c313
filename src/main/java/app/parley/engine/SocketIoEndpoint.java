package app.parley.engine;

import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.DisconnectableHub;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.ack.AckManager;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.PacketListener;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.protocol.AckArgs;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Event;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import com.corundumstudio.socketio.transport.NamespaceClient;
import com.corundumstudio.socketio.AckCallback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
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
 * object with its transport replaced: what the library sends is encoded here and queued on the
 * Engine.IO session. What clients send is parsed strictly by {@link SocketIoPacket}, then handed
 * to the library as if its own decoder had read it.
 *
 * <p>The Socket.IO id of a socket (what rooms, peers and direct messages use, and what the CONNECT
 * answer carries) is not its Engine.IO session id: knowing someone's socket id does not let
 * anyone post into their session.
 */
final class SocketIoEndpoint implements EngineEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SocketIoEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineSettings settings;
    private final Configuration configuration;
    private final NamespacesHub namespaces;
    private final AckManager acks;
    private final ClientsBox clientsBox;
    private final CancelableScheduler scheduler;
    private final DisconnectableHub disconnectables;
    private final JsonSupport json;
    private final CatchAllJsonSupport catchAll;
    private final PacketListener packetListener;

    SocketIoEndpoint(EngineSettings settings, Configuration configuration, NamespacesHub namespaces, AckManager acks,
            ClientsBox clientsBox, CancelableScheduler scheduler, DisconnectableHub disconnectables,
            CatchAllJsonSupport catchAll) {
        this.catchAll = catchAll;
        this.settings = settings;
        this.configuration = configuration;
        this.namespaces = namespaces;
        this.acks = acks;
        this.clientsBox = clientsBox;
        this.scheduler = scheduler;
        this.disconnectables = disconnectables;
        this.json = configuration.getJsonSupport();
        this.packetListener = new PacketListener(acks, namespaces, null, scheduler);
    }

    /** Creates the session's netty-socketio client. */
    @Override
    public void onOpen(EngineSession session, FullHttpRequest request, io.netty.channel.Channel channel,
            Map<String, List<String>> params) {
        HandshakeData handshake = new HandshakeData(request.headers(), params,
                (InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress(),
                request.uri(), request.headers().contains("Origin"));
        SessionClient client = new SessionClient(session, handshake, params);
        session.attach(client);
        client.connectDeadline = sessionTimer(session, () -> {
            if (client.connected.isEmpty()) {
                session.close("no CONNECT within " + settings.connectTimeoutMillis() + " ms",
                        EngineSession.Farewell.CLOSE);
            }
        }, settings.connectTimeoutMillis());
    }

    private static ScheduledFuture<?> sessionTimer(EngineSession session, Runnable task, long millis) {
        return session.timers().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(EngineSession session, EngineFrame message) throws SocketIoPacket.Malformed {
        SessionClient client = (SessionClient) session.attachment();
        if (message.isBinary()) {
            client.addAttachment(message.binary());
            return;
        }
        if (client.pendingBinary != null) {
            throw new SocketIoPacket.Malformed("text packet while binary attachments were expected");
        }
        SocketIoPacket packet = SocketIoPacket.parse(message.text(), settings.maxAttachments());
        if (packet.eventName().filter(CatchAllJsonSupport.CUSTOM_EVENT::equals).isPresent()) {
            throw new SocketIoPacket.Malformed("reserved event name");
        }
        if (packet.attachments() > 0) {
            client.pendingBinary = new PendingBinary(packet);
            return;
        }
        client.dispatch(packet, null);
    }

    /** The Engine.IO session under a socket, or null when it is not one of this endpoint's. */
    static EngineSession sessionOf(com.corundumstudio.socketio.SocketIOClient socket) {
        return socket instanceof NamespaceClient child && child.getBaseClient() instanceof SessionClient client
                ? client.session : null;
    }

    @Override
    public void onClose(EngineSession session, String reason) {
        SessionClient client = (SessionClient) session.attachment();
        if (client != null) {
            if (client.connectDeadline != null) {
                client.connectDeadline.cancel(false);
            }
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
    private final class SessionClient extends ClientHead {
        private final EngineSession session;
        private final Set<String> connected = ConcurrentHashMap.newKeySet();
        private PendingBinary pendingBinary;
        private volatile ScheduledFuture<?> connectDeadline;

        SessionClient(EngineSession session, HandshakeData handshake, Map<String, List<String>> params) {
            super(UUID.randomUUID(), acks, disconnectables, configuration.getStoreFactory(), handshake, clientsBox,
                    session.transport() == EngineSession.Transport.WEBSOCKET ? Transport.WEBSOCKET : Transport.POLLING,
                    scheduler, configuration, params);
            this.session = session;
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
                    NamespaceClient client = connectedClient(nsp);
                    if (client != null) {
                        connected.remove(nsp);
                        client.onDisconnect();
                    }
                }
                case SocketIoPacket.EVENT, SocketIoPacket.BINARY_EVENT -> event(packet, nsp, attachments);
                case SocketIoPacket.ACK, SocketIoPacket.BINARY_ACK -> ack(packet, nsp, attachments);
                default -> throw new SocketIoPacket.Malformed("unexpected packet type " + packet.type());
            }
        }

        private void connect(SocketIoPacket packet, String nsp) {
            Namespace namespace = namespaces.get(nsp);
            if (namespace == null) {
                session.send(EngineFrame.text(header(PacketType.ERROR, nsp, null) + "{\"message\":\"Invalid namespace\"}"));
                return;
            }
            if (connected.contains(nsp)) {
                LOG.debug("{} sent a second CONNECT for {}; ignored", getSessionId(), packet.namespace());
                return;
            }
            Map<String, Object> auth = packet.payload() == null ? new LinkedHashMap<>() : toMap(packet.payload());
            NamespaceClient client = addNamespaceClient(namespace);
            getHandshakeData().setAuthToken(auth);
            AuthTokenResult result;
            try {
                result = namespace.onAuthData(client, auth);
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "auth listener failures").failure(e, "An auth listener failed for {}", getSessionId());
                result = new AuthTokenResult(false, Map.of("message", "Server error"));
            }
            if (!result.isSuccess()) {
                removeNamespaceClient(client);
                Object error = result.getErrorData() instanceof String text ? Map.of("message", text)
                        : result.getErrorData() == null ? Map.of("message", "Not authorized") : result.getErrorData();
                session.send(EngineFrame.text(header(PacketType.ERROR, nsp, null) + write(error).text()));
                return;
            }
            connected.add(nsp);
            if (connectDeadline != null) {
                connectDeadline.cancel(false);
            }
            session.send(EngineFrame.text(header(PacketType.CONNECT, nsp, null) + "{\"sid\":\"" + getSessionId() + "\"}"));
            namespace.onConnect(client);
        }

        private void event(SocketIoPacket packet, String nsp, List<byte[]> attachments) throws SocketIoPacket.Malformed {
            NamespaceClient client = requireConnected(nsp);
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
            deliver(p, client);
        }

        private void ack(SocketIoPacket packet, String nsp, List<byte[]> attachments) throws SocketIoPacket.Malformed {
            NamespaceClient client = requireConnected(nsp);
            AckCallback<?> callback = acks.getCallback(getSessionId(), packet.ackId());
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
            deliver(p, client);
        }

        private void deliver(Packet packet, NamespaceClient client) {
            try {
                packetListener.onPacket(packet, client, getCurrentTransport());
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "listener failures").failure(e, "A listener failed on a packet from {}", getSessionId());
            }
        }

        private NamespaceClient requireConnected(String nsp) throws SocketIoPacket.Malformed {
            NamespaceClient client = connectedClient(nsp);
            if (client == null) {
                throw new SocketIoPacket.Malformed("packet for namespace " + (nsp.isEmpty() ? "/" : nsp)
                        + " before connecting to it");
            }
            return client;
        }

        private NamespaceClient connectedClient(String nsp) {
            if (!connected.contains(nsp)) {
                return null;
            }
            Namespace namespace = namespaces.get(nsp);
            return namespace == null ? null : getChildClient(namespace);
        }

        // ---- netty-socketio's sending side, rerouted to the Engine.IO session ----

        @Override
        public ChannelFuture send(Packet packet, Transport transport) {
            if (packet.getType() != PacketType.MESSAGE) {
                return null; // the engine does its own pings and noops
            }
            session.sendAll(encodeShared(packet));
            if (packet.getSubType() == PacketType.DISCONNECT) {
                // A server-side socket.disconnect(): the library sends the packet but forgets the socket.
                String nsp = packet.getNsp() == null ? "" : packet.getNsp();
                NamespaceClient client = connectedClient(nsp);
                if (client != null) {
                    connected.remove(nsp);
                    client.onDisconnect();
                }
            }
            return null;
        }

        @Override
        public void disconnect() {
            for (String nsp : List.copyOf(connected)) {
                session.send(EngineFrame.text(header(PacketType.DISCONNECT, nsp, null)));
            }
            session.close("server disconnect", EngineSession.Farewell.CLOSE);
        }

        @Override
        public Transport getCurrentTransport() {
            return session.transport() == EngineSession.Transport.WEBSOCKET ? Transport.WEBSOCKET : Transport.POLLING;
        }

        @Override
        public boolean isChannelOpen() {
            return !session.isClosed();
        }

        @Override
        public boolean isWritable() {
            return !session.isClosed();
        }

        @Override
        public void schedulePing() {
            // the engine's own heartbeat (EngineSession) replaces the library's
        }

        @Override
        public void schedulePingTimeout() {
            // the engine's own heartbeat (EngineSession) replaces the library's
        }

        @Override
        public void onChannelDisconnect() {
            connected.clear();
            super.onChannelDisconnect();
        }
    }

    // ---- encoding ----

    /**
     * The last packet this thread encoded. netty-socketio broadcasts one {@link Packet} object to
     * every recipient in turn, so a room of a thousand costs one JSON encoding, not a thousand; the
     * frames are immutable and shared by every recipient's outbox. The ack id is compared too:
     * a broadcast with acks numbers the same packet once per recipient.
     */
    private static final ThreadLocal<Encoded> LAST_ENCODED = new ThreadLocal<>();

    private record Encoded(Packet packet, String nsp, Long ackId, List<EngineFrame> frames) {
        boolean isFor(Packet other, String otherNsp) {
            return packet == other && nsp.equals(otherNsp) && java.util.Objects.equals(ackId, other.getAckId());
        }
    }

    private List<EngineFrame> encodeShared(Packet packet) {
        String nsp = packet.getNsp() == null ? "" : packet.getNsp();
        Encoded last = LAST_ENCODED.get();
        if (last != null && last.isFor(packet, nsp)) {
            return last.frames();
        }
        List<EngineFrame> frames = encode(packet);
        LAST_ENCODED.set(new Encoded(packet, nsp, packet.getAckId(), frames));
        return frames;
    }

    /** The Engine.IO packets for one netty-socketio packet: the text, then any binary attachments. */
    private List<EngineFrame> encode(Packet packet) {
        PacketType type = packet.getSubType();
        String nsp = packet.getNsp() == null ? "" : packet.getNsp();
        Object payload;
        switch (type) {
            case EVENT, BINARY_EVENT -> {
                List<Object> values = new ArrayList<>();
                values.add(packet.getName());
                List<Object> data = packet.getData();
                if (data != null) {
                    values.addAll(data);
                }
                payload = values;
            }
            case ACK, BINARY_ACK -> {
                List<Object> data = packet.getData();
                payload = data == null ? List.of() : data;
            }
            case ERROR -> payload = packet.getData() instanceof String text ? Map.of("message", text) : packet.getData();
            case CONNECT -> payload = packet.getData();
            default -> payload = null;
        }
        if (payload == null) {
            return List.of(EngineFrame.text(header(type, nsp, packet.getAckId())));
        }
        Written written = write(payload);
        if (written.attachments().isEmpty()) {
            return List.of(EngineFrame.text(header(type, nsp, packet.getAckId()) + written.text()));
        }
        PacketType binaryType = (type == PacketType.ACK || type == PacketType.BINARY_ACK)
                ? PacketType.BINARY_ACK : PacketType.BINARY_EVENT;
        List<EngineFrame> frames = new ArrayList<>();
        frames.add(EngineFrame.text("4" + binaryType.getValue() + written.attachments().size() + "-"
                + header(binaryType, nsp, packet.getAckId()).substring(2) + written.text()));
        for (byte[] attachment : written.attachments()) {
            frames.add(EngineFrame.binary(attachment));
        }
        return frames;
    }

    /** {@code 4} + packet type + namespace (when not the main one) + ack id. */
    private static String header(PacketType type, String nsp, Long ackId) {
        StringBuilder out = new StringBuilder("4").append(type.getValue());
        if (!nsp.isEmpty() && !"/".equals(nsp)) {
            out.append(nsp).append(',');
        }
        if (ackId != null) {
            out.append(ackId);
        }
        return out.toString();
    }

    private record Written(String text, List<byte[]> attachments) {
    }

    /** JSON through the library's JsonSupport, which turns byte arrays into attachment placeholders. */
    private Written write(Object value) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            json.writeValue(new ByteBufOutputStream(buffer), value);
            List<byte[]> arrays = new ArrayList<>(json.getArrays());
            return new Written(buffer.toString(StandardCharsets.UTF_8), arrays);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not encode " + value, e);
        } finally {
            buffer.release();
        }
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
            if (node.size() == 2 && node.path("_placeholder").asBoolean(false) && node.path("num").canConvertToInt()) {
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
