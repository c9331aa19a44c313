package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import app.parley.session.SessionEvent;
import io.socket.client.Ack;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.json.JSONArray;

/**
 * What the server sends: every incoming event, decoded once and handed to the part of the
 * connection it concerns, or published. Runs on socket.io-client-java's EventThread.
 */
final class Incoming {
    private final Delivery delivery;
    private final Typists typists;
    private final PeerList peers;
    /** The whole peers list (it also tells a Parley host from other servers). */
    private final Consumer<Object> onPeers;

    private final Consumer<SessionEvent> publish;

    Incoming(
            Delivery delivery,
            Typists typists,
            PeerList peers,
            Consumer<Object> onPeers,
            Consumer<SessionEvent> publish) {
        this.delivery = delivery;
        this.typists = typists;
        this.peers = peers;
        this.onPeers = onPeers;
        this.publish = publish;
    }

    /** Listens to every event on {@code socket}, those sent before its namespace CONNECT too. */
    void listenTo(Socket socket) {
        socket.onAnyIncoming(args -> {
            if (args.length > 0 && args[0] instanceof String name) {
                dispatch(name, Arrays.copyOfRange(args, 1, args.length));
            }
        });
        // netty-socketio sends whatever its connect listeners emit before the namespace CONNECT
        // packet. socket.io-client-java 2.1.2 buffers such events and replays them with the event
        // name as an extra first argument, to named listeners only, never to onAnyIncoming: a
        // greeting would read "receive-message" and a custom event would vanish. So take them from
        // the packet, before the socket buffers them.
        socket.io().on(Manager.EVENT_PACKET, args -> {
            if (!socket.connected()
                    && args.length > 0
                    && args[0] instanceof Packet<?> packet
                    && (packet.type == Parser.EVENT || packet.type == Parser.BINARY_EVENT)
                    && "/".equals(packet.nsp)
                    && packet.data instanceof JSONArray data
                    && data.opt(0) instanceof String name) {
                Object[] rest = new Object[data.length() - 1];
                for (int i = 0; i < rest.length; i++) {
                    rest[i] = data.opt(i + 1);
                }
                dispatch(name, rest);
            }
        });
    }

    /** Every incoming event, however the library delivered it, ends here exactly once. */
    private void dispatch(String name, Object[] args) {
        List<Object> plain = JsonTrees.toPlainList(withoutAck(args));
        Object first = plain.isEmpty() ? null : plain.get(0);
        switch (name) {
            case ChatEvents.RECEIVE_MESSAGE -> {
                var message = WireCodec.decodeReceive(plain, Instant.now());
                if (!delivery.isNew(message)) {
                    return;
                }
                if (message.from() != null) {
                    typists.stopped(
                            Typists.conversationOf(message.kind(), message.room(), message.from()), message.from());
                }
                publish.accept(new SessionEvent.MessageReceived(message));
            }
            case ChatEvents.PEERS -> onPeers.accept(first);
            case ChatEvents.PEERS_CHANGED -> peers.onPeersChanged(first);
            case ChatEvents.ROOM_MEMBERS -> peers.onRoomMembers(first);
            case ChatEvents.CAUGHT_UP -> WireCodec.decodeCaughtUp(first).ifPresent(delivery::caughtUp);
            case ChatEvents.TYPING -> WireCodec.decodeTyping(first).ifPresent(typists::heard);
            case ChatEvents.HOST_CLOSING ->
                publish.accept(new SessionEvent.Notice(
                        "The host is closing the session" + (first != null ? ": " + first : "")));
            case ChatEvents.ERROR ->
                publish.accept(new SessionEvent.Notice("The server refused a request: "
                        + WireCodec.refusalReason(first).orElse("no reason given")));
            default -> publish.accept(new SessionEvent.CustomEventReceived(name, plain, null));
        }
    }

    /** The library appends an {@link Ack} when the server asked for one; it is not data. */
    private static Object[] withoutAck(Object[] args) {
        return args.length > 0 && args[args.length - 1] instanceof Ack ? Arrays.copyOf(args, args.length - 1) : args;
    }
}
