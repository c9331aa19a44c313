package app.parley.engine;

import com.corundumstudio.socketio.SocketIOClient;
import java.util.Map;
import java.util.UUID;

/**
 * Socket.IO's connection state recovery (socket.io 4.6+ {@code connectionStateRecovery}), as the
 * engine needs it from whoever keeps the state: the CONNECT answer carries a private session id
 * ({@code pid}) for a socket granted one, every event sent to it ends with its offset
 * ({@link RecoveryOffset}), and a later CONNECT with {@code auth.pid} and {@code auth.offset} may
 * take the socket's id back. The engine strips {@code pid} and {@code offset} from the {@code auth}
 * every listener sees, so the secret never reaches a log. Methods run on I/O threads and must not
 * block (docs/PROTOCOL.md §16).
 */
public interface SocketRecovery {
    /** What an accepted socket gets: its private session id and the offset its events carry until one names another. */
    record Grant(String pid, String offset) {}

    /**
     * A CONNECT to {@code nsp} claims a kept session: the socket id to take back (the session is
     * then used up), or null for a fresh socket. {@code pid} and {@code offset} are as the client
     * sent them, of any JSON type or null.
     */
    UUID takeBack(String nsp, Object pid, Object offset);

    /**
     * {@code socket}'s CONNECT was accepted (its auth listeners said yes): its grant, or null when
     * it may not recover (no {@code pid} in the answer, no offsets on its events).
     */
    Grant grant(SocketIOClient socket, Map<String, Object> auth);

    /**
     * {@code socket}, holding {@code pid}, lost its connection in a way its client may recover from
     * (transport closed or failed, ping timeout), not by its own or the server's disconnect. Called
     * before the namespace's disconnect listeners run. {@code lastOffset}: the offset on the last
     * event queued for it.
     */
    void lost(SocketIOClient socket, String pid, String lastOffset);
}
