package app.parley.sockets;

/**
 * What a socket has sent and received since it connected: Socket.IO packets and their size (see
 * {@code engine.SocketTraffic} for how size is counted). A snapshot; a pane shows rates by taking
 * two a second apart and dividing.
 */
public record Traffic(long messagesIn, long bytesIn, long messagesOut, long bytesOut) {
    public static final Traffic NONE = new Traffic(0, 0, 0, 0);

    /** Where the counts come from, read whenever a snapshot is taken. */
    public interface Source {
        Traffic now();
    }
}
