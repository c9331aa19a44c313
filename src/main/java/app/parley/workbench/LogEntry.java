package app.parley.workbench;

import java.time.Instant;
import java.util.List;

/**
 * One line of a connection's log: an event in or out, an ack either way, or a lifecycle change.
 *
 * @param seq       its place in this connection's log, from 1
 * @param namespace the namespace of the connection it happened on
 * @param event     the event's name (for acks, the name of the event acknowledged); for lifecycle
 *                  lines {@code connect}, {@code disconnect} or {@code connect_error}
 * @param args      the arguments as plain values ({@link Payloads}); binary as {@code byte[]}
 * @param rttMillis for {@link Kind#ACK}: the time from the emit to the answer; else -1
 * @param replyId   for an incoming event that expects an ack: the id to answer it by; for
 *                  {@link Kind#ACK_REPLY}: the id it answered (-1 for an auto-reply); else -1
 * @param note      a reason (disconnect, connect_error, timeout) or the socket id; may be empty
 */
public record LogEntry(
        long seq,
        Instant time,
        Direction direction,
        Kind kind,
        String namespace,
        String event,
        List<Object> args,
        long rttMillis,
        int replyId,
        String note) {

    public enum Direction {
        IN,
        OUT,
        /** The connection itself: connected, disconnected, refused. */
        STATE
    }

    public enum Kind {
        EVENT,
        /** The server's answer to an event sent with an ack. */
        ACK,
        /** No answer within the ack's timeout. */
        ACK_TIMEOUT,
        /** This side's answer to an event the server sent with an ack. */
        ACK_REPLY,
        CONNECT,
        DISCONNECT,
        CONNECT_ERROR
    }

    public LogEntry {
        // JSON null is a legitimate argument, which List.copyOf would refuse.
        args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    /** Whether the server waits for an answer ({@link WorkbenchConnection#reply}). */
    public boolean expectsReply() {
        return kind == Kind.EVENT && direction == Direction.IN && replyId >= 0;
    }

    /** Whether this entry is an event sent from here, which can be sent again. */
    public boolean resendable() {
        return direction == Direction.OUT && kind == Kind.EVENT;
    }

    /** One line: the arguments in compact JSON, binary as size and hex. */
    public String summary() {
        String shown = Payloads.compact(args);
        return switch (kind) {
            case ACK -> "ack " + rttMillis + " ms: " + shown;
            case ACK_TIMEOUT, DISCONNECT, CONNECT_ERROR, CONNECT -> note;
            default -> shown;
        };
    }

    /** Searchable text: event name, note and arguments. */
    public String searchText() {
        return event + " " + note + " " + Payloads.compact(args);
    }
}
