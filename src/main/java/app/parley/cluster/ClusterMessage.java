package app.parley.cluster;

import java.util.List;
import java.util.Map;

/**
 * What servers of one cluster tell each other: the message types of socket.io-adapter's
 * {@code ClusterAdapter}, which the official Redis adapters carry (docs/PROTOCOL.md §19). Each
 * goes with the sending server's uid and its namespace ({@link Received}).
 */
public sealed interface ClusterMessage {
    /** socket.io-adapter's {@code MessageType} number. */
    int type();

    /**
     * An event for the sockets of {@code to} on every server ({@code io.to(room).emit}).
     *
     * @param requestId set when the sender waits for each socket's acknowledgement ({@code
     *                  emitWithAck}): each server answers with a {@link ClientCount} and one
     *                  {@link BroadcastAck} per acknowledgement
     */
    record Broadcast(Audience to, String event, List<Object> args, String requestId) implements ClusterMessage {
        public Broadcast {
            args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
        }

        public Broadcast(Audience to, String event, List<Object> args) {
            this(to, event, args, null);
        }

        @Override
        public int type() {
            return 3;
        }
    }

    /** {@code io.in(…).socketsJoin(rooms)}: the sockets of {@code who} join {@code rooms}. */
    record SocketsJoin(Audience who, List<String> rooms) implements ClusterMessage {
        @Override
        public int type() {
            return 4;
        }
    }

    /** {@code io.in(…).socketsLeave(rooms)}. */
    record SocketsLeave(Audience who, List<String> rooms) implements ClusterMessage {
        @Override
        public int type() {
            return 5;
        }
    }

    /** {@code io.in(…).disconnectSockets(close)}. */
    record DisconnectSockets(Audience who, boolean close) implements ClusterMessage {
        @Override
        public int type() {
            return 6;
        }
    }

    /** {@code io.in(…).fetchSockets()}: every server answers with its own {@link SocketsFound}. */
    record FetchSockets(Audience who, String requestId) implements ClusterMessage {
        @Override
        public int type() {
            return 7;
        }
    }

    /**
     * One server's answer to {@link FetchSockets}.
     *
     * @param sockets each as Node sends it: {@code id}, {@code handshake}, {@code rooms}, {@code data}
     */
    record SocketsFound(String requestId, List<Map<String, Object>> sockets) implements ClusterMessage {
        @Override
        public int type() {
            return 8;
        }
    }

    /** {@code io.serverSideEmit(event, …)}: for the servers, not their sockets. */
    record ServerSideEmit(List<Object> packet, String requestId) implements ClusterMessage {
        @Override
        public int type() {
            return 9;
        }
    }

    /** How many of a server's sockets a {@link Broadcast} with a request id reached. */
    record ClientCount(String requestId, int clientCount) implements ClusterMessage {
        @Override
        public int type() {
            return 11;
        }
    }

    /** One socket's acknowledgement of a {@link Broadcast} with a request id (its first argument). */
    record BroadcastAck(String requestId, Object packet) implements ClusterMessage {
        @Override
        public int type() {
            return 12;
        }
    }

    /** A message as it arrived: who sent it, in which namespace, and where it stands in the stream. */
    record Received(String uid, String nsp, ClusterMessage message, String offset) {}
}
