package app.parley.engine;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's part in Socket.IO connection state recovery (docs/PROTOCOL.md §16): the private
 * session id its socket holds, and the offset on the last event queued for it, which every event
 * without one of its own carries, so the client's last offset always names the last message it got.
 */
final class RecoveryState {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryState.class);

    /**
     * Why a session may end that its client may recover from, as Node's {@code
     * RECOVERABLE_DISCONNECT_REASONS}: the transport closed or failed under it, its pings stopped, or
     * the server is shutting down (in a cluster its client comes back on another host, §16.1). Not a
     * client's own disconnect, a protocol error, a limit or a kick.
     */
    private static final Set<String> RECOVERABLE =
            Set.of("transport close", "client close", "ping timeout", "poll cancelled", "server shutting down");

    /** What a CONNECT's {@code auth} claimed; both as the client sent them, of any type. */
    record Claim(Object pid, Object offset) {}

    /** Volatile so that a socket without one (most of a busy host's) passes without taking the lock. */
    private volatile String pid;

    private String namespace;
    private String lastOffset;

    /** Takes {@code pid} and {@code offset} out of a CONNECT's auth (no listener or log sees them); null when it has neither. */
    static Claim takeClaim(Map<String, Object> auth) {
        if (!auth.containsKey("pid") && !auth.containsKey("offset")) {
            return null;
        }
        return new Claim(auth.remove("pid"), auth.remove("offset"));
    }

    boolean holdsPid() {
        return pid != null;
    }

    /** The socket in {@code nsp} was granted a pid: the CONNECT {@code answer} carries it. */
    synchronized void granted(SocketRecovery.Grant grant, String nsp, Map<String, Object> answer) {
        pid = grant.pid();
        namespace = nsp;
        lastOffset = grant.offset();
        answer.put("pid", grant.pid());
    }

    /**
     * Queues an event's frames, ending with its offset when it goes to the socket holding the pid,
     * under the lock, so offsets reach the client in the order their events do.
     */
    void send(Packet packet, List<EngineFrame> frames, Consumer<List<EngineFrame>> queue) {
        if (pid == null) {
            queue.accept(frames);
            return;
        }
        synchronized (this) {
            if (pid != null && carriesOffset(packet)) {
                RecoveryOffset named = RecoveryOffset.in(packet.getData());
                if (named != null) {
                    lastOffset = named.value();
                }
                queue.accept(SocketIoEncoder.withOffset(frames, lastOffset));
                return;
            }
        }
        queue.accept(frames);
    }

    /** Events without an ack, in the namespace of the socket that may recover: what Node numbers. */
    private boolean carriesOffset(Packet packet) {
        PacketType type = packet.getSubType();
        String nsp = packet.getNsp() == null ? "" : packet.getNsp();
        return (type == PacketType.EVENT || type == PacketType.BINARY_EVENT)
                && packet.getAckId() == null
                && nsp.equals(namespace);
    }

    /**
     * The session closed for {@code reason}: a socket holding a pid, still connected
     * ({@code connectedIn} finds it by namespace), is handed to {@code keeper} when its client may
     * recover. Before the namespace's disconnect listeners run.
     */
    void closed(String reason, SocketRecovery keeper, Function<String, SocketIOClient> connectedIn) {
        String held;
        String nsp;
        String offset;
        synchronized (this) {
            held = pid;
            nsp = namespace;
            offset = lastOffset;
        }
        if (keeper == null || held == null || !RECOVERABLE.contains(reason)) {
            return;
        }
        SocketIOClient socket = connectedIn.apply(nsp);
        if (socket == null) {
            return;
        }
        try {
            keeper.lost(socket, held, offset);
        } catch (RuntimeException e) {
            ThrottledLog.warn(LOG, "recovery failures").failure(e, "Could not keep {}", socket.getSessionId());
        }
    }
}
