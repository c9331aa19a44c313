package app.parley.admin;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.SocketInventory;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Admin UI's commands, checked before anything is done: {@code emit(nsp, filter, ev, ...args)},
 * {@code join(nsp, room, filter)}, {@code leave(nsp, room, filter)} and
 * {@code _disconnect(nsp, close, filter)}, where {@code filter} picks sockets as Node's
 * {@code io.of(nsp).in(filter)} does (a room or a socket id; none: the whole namespace). They act
 * on the chat namespace only. A malformed one, or one whose filter picks nobody, changes nothing
 * and is answered with {@code parley-error} (or through its ack, when it asked for one).
 */
final class AdminCommands {
    static final String EMIT = "emit";
    static final String JOIN = "join";
    static final String LEAVE = "leave";
    static final String DISCONNECT = "_disconnect";

    /** What a socket closed by an admin's {@code _disconnect(nsp, true)} is told. */
    static final String KICKED = "disconnected by an admin";

    private final SocketInventory inventory;
    private final SocketControl control;
    private final AdminGate gate;
    private final AdminCluster cluster;

    AdminCommands(SocketInventory inventory, SocketControl control, AdminGate gate, AdminCluster cluster) {
        this.inventory = inventory;
        this.control = control;
        this.gate = gate;
        this.cluster = cluster;
    }

    void run(SocketIOClient admin, String command, List<Object> args, AckRequest ack) {
        Optional<String> refusal = gate.overRate(admin).or(() -> check(command, args));
        if (refusal.isEmpty()) {
            refusal = apply(command, args);
        }
        if (refusal.isPresent()) {
            Object error = WireCodec.refused(command, refusal.get());
            if (ack.isAckRequested()) {
                ack.sendAckData(error);
            } else {
                admin.sendEvent(ChatEvents.ERROR, error);
            }
        } else if (ack.isAckRequested()) {
            ack.sendAckData(java.util.Map.of("ok", true));
        }
    }

    /** Why the command's shape is wrong, if it is; nothing is done before this passes. */
    private static Optional<String> check(String command, List<Object> args) {
        Object nsp = arg(args, 0);
        Object second = arg(args, 1);
        Object third = arg(args, 2);
        if (!(nsp instanceof String)) {
            return Optional.of("the namespace must be a string such as \"/\"");
        }
        switch (command) {
            case EMIT -> {
                if (second != null && !(second instanceof String)) {
                    return Optional.of("the filter must be a room, a socket id or null");
                }
                if (!(third instanceof String)) {
                    return Optional.of("the event name must be a string");
                }
            }
            case JOIN, LEAVE -> {
                if (!(second instanceof String)) {
                    return Optional.of("the room must be a string");
                }
                if (third != null && !(third instanceof String)) {
                    return Optional.of("the filter must be a room, a socket id or null");
                }
            }
            case DISCONNECT -> {
                if (!(second instanceof Boolean)) {
                    return Optional.of("close must be true or false");
                }
                if (third != null && !(third instanceof String)) {
                    return Optional.of("the filter must be a room, a socket id or null");
                }
            }
            default -> {
                return Optional.of("unknown admin command");
            }
        }
        if (!SocketControl.CHAT_NAMESPACE.equals(nsp)) {
            return Optional.of("commands act on the chat namespace \"/\" only");
        }
        return Optional.empty();
    }

    private Optional<String> apply(String command, List<Object> args) {
        String nsp = (String) args.get(0);
        if (command.equals(EMIT)) {
            List<Object> rest = new ArrayList<>(args.subList(3, args.size()));
            return control.emit((String) arg(args, 1), (String) args.get(2), rest);
        }
        String filter = (String) arg(args, 2);
        List<SocketInfo> picked = inventory.select(nsp, filter);
        if (cluster.clustered()) {
            // The other servers act on theirs, as Node's io.of(nsp).in(filter) over an adapter does;
            // whether any of theirs matched is not known here, so nobody here is no refusal.
            switch (command) {
                case JOIN -> cluster.join(filter, (String) args.get(1));
                case LEAVE -> cluster.leave(filter, (String) args.get(1));
                default -> cluster.disconnect(filter, (Boolean) args.get(1));
            }
        } else if (picked.isEmpty()) {
            return Optional.of("no socket in " + nsp + " matches " + (filter == null ? "(all)" : filter));
        }
        Optional<String> first = Optional.empty();
        for (SocketInfo socket : picked) {
            Optional<String> refusal = switch (command) {
                case JOIN -> control.join(socket.id(), (String) args.get(1));
                case LEAVE -> control.leave(socket.id(), (String) args.get(1));
                default -> control.disconnect(socket.id(), (Boolean) args.get(1), KICKED);
            };
            if (first.isEmpty()) {
                first = refusal;
            }
        }
        return first;
    }

    private static Object arg(List<Object> args, int index) {
        return args != null && args.size() > index ? args.get(index) : null;
    }
}
