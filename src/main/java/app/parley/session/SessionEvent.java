package app.parley.session;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import java.util.List;
import java.util.Map;

/**
 * Everything a session tells its listeners, as typed records. Listeners are called on the
 * session's own thread (a socket library thread); the UI crosses to the FX thread once, in
 * {@code ui.FxEventPump}.
 */
public sealed interface SessionEvent {

    /** The connection changed state; {@code detail} says why, in words a person can act on. */
    record StateChanged(ConnectionState state, String detail) implements SessionEvent {}

    /** The server accepted us; {@code socketId} is what the seed prints as "You connected with id". */
    record Connected(String socketId) implements SessionEvent {}

    /** Someone else's message (or a host announcement) arrived. */
    record MessageReceived(ChatMessage message) implements SessionEvent {}

    /**
     * Who is connected changed (Parley hosts only; other servers never send it): every socket id,
     * and the nicknames of those that have one.
     */
    record PeersChanged(List<String> peers, Map<String, String> names, Map<String, String> users)
            implements SessionEvent {
        public PeersChanged {
            peers = List.copyOf(peers);
            names = Map.copyOf(names);
            users = Map.copyOf(users);
        }

        public PeersChanged(List<String> peers) {
            this(peers, Map.of(), Map.of());
        }

        /** The nickname of {@code id}, else the id itself. */
        public String label(String id) {
            return names.getOrDefault(id, id);
        }
    }

    /** Who is in a room we are in, now (Parley hosts only). */
    record RoomMembersChanged(String room, List<String> members) implements SessionEvent {
        public RoomMembersChanged {
            members = List.copyOf(members);
        }
    }

    /**
     * Who is typing in a conversation now: {@code names} (nicknames, or ids for the nameless),
     * empty when nobody is. Entries clear themselves a few seconds after the last sign of typing.
     */
    record TypingChanged(Target conversation, List<String> names) implements SessionEvent {
        public TypingChanged {
            names = List.copyOf(names);
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
    record ClientConnected(String socketId, Object auth) implements SessionEvent {}

    /**
     * Where a file transfer stands: sent in bursts while it runs (at most a few a second), and once
     * when it ends ({@code state} no longer {@link TransferState#RUNNING}; {@code error} says why a
     * failed one failed).
     *
     * @param bytesPerSecond over the last few seconds; 0 until known
     */
    record TransferProgress(
            String transferId,
            FileTransfer.Direction direction,
            String name,
            long size,
            long done,
            double bytesPerSecond,
            TransferState state,
            String error)
            implements SessionEvent {
        /** Seconds left at the current speed, or -1 when unknown. */
        public long secondsLeft() {
            return bytesPerSecond <= 0 || state != TransferState.RUNNING
                    ? -1
                    : (long) Math.ceil((size - done) / bytesPerSecond);
        }
    }

    /** How a file transfer stands. */
    enum TransferState {
        RUNNING,
        /** Waiting for the connection to come back; it goes on from where it stopped. */
        PAUSED,
        DONE,
        CANCELLED,
        FAILED
    }

    /** Something worth a line in the conversation that is not a message ("Host is shutting down"). */
    record Notice(String text) implements SessionEvent {}
}
