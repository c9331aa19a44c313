package app.parley.host;

import app.parley.engine.SocketIoEngine;
import app.parley.protocol.WireRules;
import app.parley.sockets.SocketControl;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The host's {@link SocketControl}: what an admin (the Admin UI, later a window's Sockets pane)
 * does to a chat socket goes the way the socket's own request would. A join or leave is the
 * socket's {@code join-room} / {@code leave-room} without an ack (stored for a lasting user,
 * presence told, held while a resume replays, paid from that socket's chat budget), a disconnect
 * is a kick, an emit is a broadcast in the chat namespace.
 */
final class HostSocketControl implements SocketControl {
    /** What the socket's disconnect is recorded as (Node's reasons for the two kinds). */
    static final String SERVER_DISCONNECT = "server namespace disconnect";

    static final String FORCED_CLOSE = "forced close";

    private final SocketIONamespace chat;
    private final SocketIoEngine engine;
    private final ChatRequests requests;
    private final Guests guests;
    private final SocketBook book;
    private final Rooms rooms;

    HostSocketControl(
            SocketIONamespace chat,
            SocketIoEngine engine,
            ChatRequests requests,
            Guests guests,
            SocketBook book,
            Rooms rooms) {
        this.chat = chat;
        this.rooms = rooms;
        this.engine = engine;
        this.requests = requests;
        this.guests = guests;
        this.book = book;
    }

    @Override
    public Optional<String> join(String socketId, String room) {
        return membership(socketId, room, true);
    }

    @Override
    public Optional<String> leave(String socketId, String room) {
        return membership(socketId, room, false);
    }

    private Optional<String> membership(String socketId, String room, boolean joining) {
        SocketIOClient client = chatSocket(socketId);
        if (client == null) {
            return Optional.of(notConnected(socketId));
        }
        Optional<String> refusal = RoomRules.checkJoinable(room);
        if (refusal.isPresent()) {
            return refusal;
        }
        AckRequest noAck = new AckRequest(new Packet(PacketType.MESSAGE, EngineIOVersion.V4), client);
        if (joining) {
            requests.onJoinRoom(client, room, noAck);
        } else {
            requests.onLeaveRoom(client, room, noAck);
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> disconnect(String socketId, boolean closeConnection, String reason) {
        SocketIOClient client = chatSocket(socketId);
        if (client == null) {
            return Optional.of(notConnected(socketId));
        }
        book.noteReason(client.getSessionId(), closeConnection ? FORCED_CLOSE : SERVER_DISCONNECT);
        if (closeConnection) {
            engine.closeConnection(client, reason);
        } else {
            client.disconnect();
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> emit(String room, String event, List<Object> args) {
        Optional<String> refusal = WireRules.checkEventName(event)
                .or(() -> ChatRequests.refuseBinary(args.toArray()))
                .or(() -> room == null || RoomRules.looksLikeSocketId(room)
                        ? Optional.empty()
                        : WireRules.checkRoomName(room));
        if (refusal.isPresent()) {
            return refusal;
        }
        rooms.emit(room == null ? ChatRequests.EVERYONE_ROOM : room, null, event, args.toArray());
        return Optional.empty();
    }

    /** The chat socket with this id, when it is connected and admitted. */
    private SocketIOClient chatSocket(String socketId) {
        if (socketId == null || !RoomRules.looksLikeSocketId(socketId)) {
            return null;
        }
        UUID id = UUID.fromString(socketId);
        if (!id.toString().equals(socketId) || guests.find(id).isEmpty()) {
            return null;
        }
        return chat.getClient(id);
    }

    private static String notConnected(String socketId) {
        return "no chat socket with id " + socketId + " is connected";
    }
}
