package app.parley.host;

import app.parley.engine.SocketIoEngine;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;

/**
 * The {@code history} request: which conversation a socket may page back through and when it must
 * wait. Apart from {@link ChatRequests}, whose refusal rules it shares, because reading the store
 * has its own checks (an ack to answer into, a backlog read first) that nothing else needs.
 */
final class HistoryRequests {
    /** A history page waits while more than this waits to reach the asker (a client that reads never gets here). */
    private static final long MAX_BACKLOG_FOR_HISTORY = 1024 * 1024;

    private final SocketIoEngine engine;
    private final History history;
    private final Presence presence;
    private final Guests guests;
    private final ChatRequests chat;
    private final app.parley.store.FileShelf shelf;

    HistoryRequests(HostParts parts, ChatRequests chat) {
        this.engine = parts.engine();
        this.history = parts.history();
        this.presence = parts.presence();
        this.guests = parts.guests();
        this.chat = chat;
        this.shelf = parts.shelf();
    }

    /** {@code history({room} | {with} | {}, before?, limit?)}: a page of a conversation the asker may read. */
    void onHistory(SocketIOClient client, Object query, AckRequest ack) {
        if (chat.refused(
                client, ack, ChatEvents.HISTORY, chat.overRate(client).or(() -> ChatRequests.refuseBinary(query)))) {
            return;
        }
        if (!ack.isAckRequested()) {
            chat.refuse(client, ack, ChatEvents.HISTORY, "ask for history with an acknowledgement callback");
            return;
        }
        if (engine.backlog(client) > MAX_BACKLOG_FOR_HISTORY) {
            chat.refuse(client, ack, ChatEvents.HISTORY, "read what was sent to you first; try again in a moment");
            return;
        }
        HistoryQuery.Parsed parsed = HistoryQuery.parse(query);
        if (parsed.refusal() != null) {
            chat.refuse(client, ack, ChatEvents.HISTORY, parsed.refusal());
            return;
        }
        String conversation;
        if (parsed.room() != null) {
            if (!presence.isInRoom(client.getSessionId(), parsed.room())) {
                chat.refuse(client, ack, ChatEvents.HISTORY, "join " + parsed.room() + " to read its history");
                return;
            }
            conversation = Conversations.room(parsed.room());
        } else if (parsed.with() != null) {
            if (!chat.isConnectedSocketId(parsed.with())) {
                chat.refuse(client, ack, ChatEvents.HISTORY, "nobody with id " + parsed.with() + " is connected");
                return;
            }
            conversation = Conversations.direct(chat.userOf(client), chat.userOfSocket(parsed.with()));
        } else {
            conversation = Conversations.EVERYONE;
        }
        String reader = chat.userOf(client);
        history.read(
                () -> history.store().before(conversation, parsed.before(), parsed.limit() + 1),
                page -> ack.sendAckData(
                        WireCodec.encodeHistory(Conversations.page(page, parsed.limit(), reader, shelf))),
                reason -> chat.refuse(client, ack, ChatEvents.HISTORY, reason));
    }
}
