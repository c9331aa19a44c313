package app.parley.engine;

import java.util.List;

/**
 * Where an event stands in the server's history, put last among the event's arguments by whoever
 * emits it. A socket that may recover its connection state (one the {@link SocketRecovery} gave a
 * private session id) receives it as the event's last argument, a string, as Socket.IO 4.6+ servers
 * send it; every other socket never sees it. Example: {@code socket.sendEvent("receive-message",
 * text, meta, RecoveryOffset.at(position))}.
 */
public record RecoveryOffset(String value) {
    public static RecoveryOffset at(long position) {
        return new RecoveryOffset(Long.toString(position));
    }

    /** The offset an event's arguments end with, or null when they carry none. */
    static RecoveryOffset in(List<Object> arguments) {
        return arguments != null
                        && !arguments.isEmpty()
                        && arguments.get(arguments.size() - 1) instanceof RecoveryOffset o
                ? o
                : null;
    }
}
