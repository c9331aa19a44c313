package app.parley.host;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who is present, and who is told about it. A socket counts as present once its CONNECT was
 * accepted. Only sockets that asked for the list ({@code list-peers}) hear of changes after it,
 * as {@code peers-changed} batches at most every {@link #BATCH_MILLIS}: a tutorial client that
 * never asks costs nothing, and a thousand people arriving at once cost a few dozen messages to
 * each listener instead of a thousand.
 *
 * <p>The list a socket receives and the batches after it are ordered by one lock, so every change
 * after the list reaches it exactly once (a change already in the list may come again in the
 * next batch, which applying as a set absorbs).
 */
final class Presence implements AutoCloseable {
    static final long BATCH_MILLIS = 250;
    /** netty-socketio room of the listeners; a name no client may join (control character). */
    private static final String LISTENERS = "\u0001presence";

    private final SocketIOServer server;
    private final Set<UUID> present = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final List<String> joined = new ArrayList<>();
    private final List<String> left = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-presence");
        t.setDaemon(true);
        return t;
    });

    Presence(SocketIOServer server) {
        this.server = server;
        timer.scheduleWithFixedDelay(this::flush, BATCH_MILLIS, BATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    void admit(UUID id) {
        synchronized (lock) {
            present.add(id);
            joined.add(id.toString());
        }
    }

    /** @return whether the socket had been present */
    boolean leave(UUID id) {
        synchronized (lock) {
            if (!present.remove(id)) {
                return false;
            }
            left.add(id.toString());
            return true;
        }
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (UUID id : present) {
            ids.add(id.toString());
        }
        return ids;
    }

    /** The whole list for {@code client}, which from now on also hears every change. */
    void sendListTo(SocketIOClient client, java.util.function.Consumer<Object> answer) {
        synchronized (lock) {
            client.joinRoom(LISTENERS);
            answer.accept(WireCodec.encodePeers(ids()));
        }
    }

    /** Sends what changed since the last batch to every listener. */
    void flush() {
        synchronized (lock) {
            if (joined.isEmpty() && left.isEmpty()) {
                return;
            }
            server.getRoomOperations(LISTENERS).sendEvent(ChatEvents.PEERS_CHANGED,
                    WireCodec.encodePeersChanged(List.copyOf(joined), List.copyOf(left)));
            joined.clear();
            left.clear();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
