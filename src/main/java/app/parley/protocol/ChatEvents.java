package app.parley.protocol;

import java.util.Set;

/**
 * The names of every event Parley puts on the wire, in one place.
 *
 * <p>The first three are the tutorial contract (see {@code docs/PROTOCOL.md}); the rest are
 * Parley additions that tutorial peers can ignore.
 */
public final class ChatEvents {
    /** client → server: {@code (message, room[, ack])}; arguments after {@code room} are ignored. */
    public static final String SEND_MESSAGE = "send-message";
    /** client → server: {@code (room, ack)}; ack is {@code "Joined <room>"}. */
    public static final String JOIN_ROOM = "join-room";
    /** server → client: {@code (message[, meta])}. */
    public static final String RECEIVE_MESSAGE = "receive-message";

    /** client → server: {@code (room, ack)}; ack is {@code "Left <room>"}. Parley addition. */
    public static final String LEAVE_ROOM = "leave-room";
    /** server → client: {@code ({peers:[id...], names:{id:name}})}, the whole list, when {@code list-peers} was sent without an ack. Parley addition. */
    public static final String PEERS = "peers";
    /**
     * server → client: {@code ({joined:[id...], left:[id...], names:{id:name}})}, what changed since
     * the last batch ({@code names} holds who joined or renamed),
     * to sockets that have asked for the list. Parley addition.
     */
    public static final String PEERS_CHANGED = "peers-changed";
    /**
     * client → server: {@code (ack)}; ack is {@code ({peers:[id...]})}, and from then on the socket
     * hears {@code peers-changed}. Parley addition.
     */
    public static final String LIST_PEERS = "list-peers";
    /** server → client: {@code (reason)} just before a host stops. Parley addition. */
    public static final String HOST_CLOSING = "host-closing";
    /** server → client: {@code ({ok:false, event, error})} when a request without an ack was refused. Parley addition. */
    public static final String ERROR = "parley-error";

    /** client → server: {@code (name, ack)}; ack is {@code ({ok:true, name})} or a refusal. Parley addition. */
    public static final String SET_NAME = "set-name";
    /**
     * client → server: {@code (room, active)} with {@code room} as in {@code send-message};
     * server → client: {@code ({from, name, kind, room, active})}. Parley addition.
     */
    public static final String TYPING = "typing";
    /**
     * server → client: {@code ({room, members:[id...]})}, the whole membership of a room the
     * socket is in, when it changed; only to sockets that asked for {@code list-peers}. Parley addition.
     */
    public static final String ROOM_MEMBERS = "room-members";
    /**
     * client → server: {@code ({room} | {with: socketId} | {}, before?, limit?}, ack)}; ack is
     * {@code ({ok:true, messages:[{text, meta}...], more})}, oldest first. Parley addition.
     */
    public static final String HISTORY = "history";
    /**
     * server → client: {@code ({at, seqs:{conversation: seq}})} when the socket starts hearing a
     * conversation live (going live after connecting or a replay, joining a room): the highest
     * {@code seq} there so far, so a resume can name a conversation it has seen nothing in yet.
     * Parley addition.
     */
    public static final String CAUGHT_UP = "caught-up";

    /**
     * client → server: {@code ({cid, name, size, sha256, type?, room, to?}, ack)}; ack is
     * {@code ({ok:true, upload, have, chunk, window})}: where the upload goes on from (§15.2). Parley addition.
     */
    public static final String FILE_OFFER = "file-offer";
    /** client → server: {@code (upload, offset, bytes, ack)}; ack is {@code ({ok:true, have})}. Parley addition. */
    public static final String FILE_CHUNK = "file-chunk";
    /**
     * client → server: {@code (upload, ack)} once every byte is there; ack is the {@code send-message}
     * ack with {@code file}. Parley addition.
     */
    public static final String FILE_COMPLETE = "file-complete";
    /** client → server: {@code (upload[, ack])}; drops the upload. Parley addition. */
    public static final String FILE_CANCEL = "file-cancel";
    /**
     * client → server: {@code ({id, offset, length?}, ack)}; ack is {@code ({ok:true, offset, size, sha256}, bytes)}
     * (§15.3). Parley addition.
     */
    public static final String FILE_READ = "file-read";
    /** client → server: {@code ({id}, ack)}; ack is {@code ({ok:true, url})}, a download link for browsers. Parley addition. */
    public static final String FILE_LINK = "file-link";

    /** Names a user may not emit as custom events: Socket.IO reserves them or Parley gives them meaning. */
    public static final Set<String> RESERVED = Set.of(
            "connect",
            "connect_error",
            "disconnect",
            "disconnecting",
            "newListener",
            "removeListener",
            SEND_MESSAGE,
            JOIN_ROOM,
            RECEIVE_MESSAGE,
            LEAVE_ROOM,
            PEERS,
            PEERS_CHANGED,
            LIST_PEERS,
            HOST_CLOSING,
            ERROR,
            SET_NAME,
            TYPING,
            ROOM_MEMBERS,
            HISTORY,
            CAUGHT_UP,
            FILE_OFFER,
            FILE_CHUNK,
            FILE_COMPLETE,
            FILE_CANCEL,
            FILE_READ,
            FILE_LINK);

    private ChatEvents() {}
}
