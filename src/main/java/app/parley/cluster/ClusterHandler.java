package app.parley.cluster;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a server does with its own sockets when another server of the cluster asks: the local half
 * of each adapter call. Called on the bus's threads; nothing here may block.
 */
public interface ClusterHandler {
    /** Delivers {@code event} to the local sockets of {@code to}. */
    void broadcast(Audience to, String event, List<Object> args);

    /**
     * Delivers {@code event} to the local sockets of {@code to}, each asked for an acknowledgement,
     * whose first argument goes to {@code ack}.
     *
     * @return how many sockets it went to
     */
    int broadcastWithAck(Audience to, String event, List<Object> args, Consumer<Object> ack);

    void socketsJoin(Audience who, List<String> rooms);

    void socketsLeave(Audience who, List<String> rooms);

    void disconnectSockets(Audience who, boolean close);

    /**
     * A server-side event from server {@code from} ({@code io.serverSideEmit(event, ...args)}):
     * {@code packet} is the event's name, then its arguments.
     */
    void serverSideEmit(String from, List<Object> packet);

    /**
     * The local sockets of {@code who}, each as {@code fetchSockets} answers: id, handshake, rooms,
     * data; asked by the server {@code from}.
     */
    List<Map<String, Object>> fetchSockets(String from, Audience who);
}
