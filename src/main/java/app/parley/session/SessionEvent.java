package app.parley.session;

import app.parley.protocol.ChatMessage;
import java.util.List;

/**
 * Everything a session tells its listeners, as typed records. Listeners are called on the
 * session's own thread (a socket library thread); the UI crosses to the FX thread once, in
 * {@code ui.FxEventPump}.
 */
public sealed interface SessionEvent {

    /** The connection changed state; {@code detail} says why, in words a person can act on. */
    record StateChanged(ConnectionState state, String detail) implements SessionEvent {
    }

    /** The server accepted us; {@code socketId} is what the seed prints as "You connected with id". */
    record Connected(String socketId) implements SessionEvent {
    }

    /** Someone else's message (or a host announcement) arrived. */
    record MessageReceived(ChatMessage message) implements SessionEvent {
    }

    /** The list of connected socket ids changed (Parley hosts only; other servers never send it). */
    record PeersChanged(List<String> peers) implements SessionEvent {
        public PeersChanged {
            peers = List.copyOf(peers);
        }
    }

    /** Our room memberships changed. */
    record RoomsChanged(List<String> rooms) implements SessionEvent {
        public RoomsChanged {
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * An event this app gives no other meaning arrived. {@code source} is a socket id when the
     * host received it from a client, or null when our server sent it to us.
     */
    record CustomEventReceived(String name, List<Object> args, String source) implements SessionEvent {
        public CustomEventReceived {
            args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
        }
    }

    /**
     * Host only: a client completed its CONNECT. {@code auth} is the handshake auth payload it
     * sent (plain JSON values, Node's {@code socket.handshake.auth}), or null.
     */
    record ClientConnected(String socketId, Object auth) implements SessionEvent {
    }

    /** Something worth a line in the conversation that is not a message ("Host is shutting down"). */
    record Notice(String text) implements SessionEvent {
    }
}
