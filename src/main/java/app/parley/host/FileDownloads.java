package app.parley.host;

import app.parley.engine.SocketIoEngine;
import app.parley.engine.ThrottledLog;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.SharedFile;
import app.parley.store.FileShelf;
import app.parley.store.StoredMessage;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the download events of a connected socket do (docs/PROTOCOL.md §15.3): {@code file-read}
 * answers a slice of a file in its ack, {@code file-link} a signed link for a browser, both only
 * for whoever may read the conversation the file was sent in. Slices are read on the
 * {@link FilesThread}.
 */
final class FileDownloads {
    private static final Logger LOG = LoggerFactory.getLogger(FileDownloads.class);

    /**
     * Reads wait while more than this waits to reach the asker. One download's 8 reads of up to
     * 512 KiB never get there (7 are answered when the 8th is asked); two at once may, and wait a
     * moment. Half of what the engine closes a non-reader at ({@code Backlog}, 8 MiB), so a read let
     * in just under it cannot push the session over.
     */
    private static final long MAX_BACKLOG_FOR_READS = 4L * 1024 * 1024;

    /** File messages looked up lately, by id: a download's reads do not each ask the history store. */
    private static final int KNOWN_FILES = 256;

    private final SocketIoEngine engine;
    private final ChatRequests chat;
    private final Presence presence;
    private final History history;
    private final FileShelf shelf;
    private final FileLinks links;
    private final FilesThread disk;
    /** A stored message never changes, so it may be kept; who may read it is checked at every read. */
    private final Map<String, StoredMessage> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StoredMessage> eldest) {
            return size() > KNOWN_FILES;
        }
    };

    FileDownloads(HostParts parts, ChatRequests chat, FilesThread disk, FileLinks links) {
        this.engine = parts.engine();
        this.chat = chat;
        this.presence = parts.presence();
        this.history = parts.history();
        this.shelf = parts.shelf();
        this.disk = disk;
        this.links = links;
    }

    void onRead(SocketIOClient client, Object payload, AckRequest ack) {
        if (!ack.isAckRequested()) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, "file-read needs an ack: the bytes come in it");
            return;
        }
        if (engine.backlog(client) > MAX_BACKLOG_FOR_READS) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, "read what was sent to you first; try again in a moment");
            return;
        }
        if (!(payload instanceof Map<?, ?> map)
                || !(map.get("id") instanceof String id)
                || !(map.get("offset") instanceof Number offset)
                || offset.longValue() < 0
                || (map.get("length") != null && !(map.get("length") instanceof Number))) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, "file-read takes {id, offset, length}");
            return;
        }
        int length = map.get("length") instanceof Number l
                ? (int) Math.max(1, Math.min(FileUploads.CHUNK, l.longValue()))
                : FileUploads.CHUNK;
        readable(
                client,
                ack,
                ChatEvents.FILE_READ,
                id,
                file -> disk.run(
                        client, ack, ChatEvents.FILE_READ, () -> read(client, ack, file, offset.longValue(), length)));
    }

    /** {@code file-link({id}, ack)}: a download link for a browser, after the same check as a read. */
    void onLink(SocketIOClient client, Object payload, AckRequest ack) {
        if (chat.refused(client, ack, ChatEvents.FILE_LINK, chat.overRate(client))) {
            return;
        }
        if (!ack.isAckRequested() || !(payload instanceof Map<?, ?> map) || !(map.get("id") instanceof String id)) {
            chat.refuse(client, ack, ChatEvents.FILE_LINK, "file-link takes {id} and an ack");
            return;
        }
        // The link serves this host's copy: fetched first from the cluster's store when only there.
        readable(
                client,
                ack,
                ChatEvents.FILE_LINK,
                id,
                file -> disk.run(client, ack, ChatEvents.FILE_LINK, () -> {
                    if (!onShelf(client, ack, ChatEvents.FILE_LINK, file)) {
                        return;
                    }
                    ack.sendAckData(Map.of("ok", true, "url", links.link(file)));
                }));
    }

    /** Finds the file of message {@code id} and hands it on if the asker may read it; else says why not. */
    private void readable(
            SocketIOClient client,
            AckRequest ack,
            String event,
            String id,
            java.util.function.Consumer<SharedFile> then) {
        String user = chat.userOf(client);
        UUID socket = client.getSessionId();
        StoredMessage cached;
        synchronized (known) {
            cached = known.get(id);
        }
        if (cached != null) {
            allowed(client, ack, event, Optional.of(cached), user, socket, then);
            return;
        }
        history.read(
                () -> history.store().byId(id),
                found -> {
                    if (found.isPresent() && found.get().message().file() != null) {
                        synchronized (known) {
                            known.put(id, found.get());
                        }
                    }
                    allowed(client, ack, event, found, user, socket, then);
                },
                reason -> chat.refuse(client, ack, event, reason));
    }

    private void allowed(
            SocketIOClient client,
            AckRequest ack,
            String event,
            Optional<StoredMessage> found,
            String user,
            UUID socket,
            java.util.function.Consumer<SharedFile> then) {
        if (chat.refused(client, ack, event, mayRead(found, user, socket))) {
            return;
        }
        then.accept(Conversations.fromStore(found.get(), null).file());
    }

    /** Why {@code user} may not read the file of {@code found}, if they may not. */
    private Optional<String> mayRead(Optional<StoredMessage> found, String user, UUID socket) {
        if (found.isEmpty() || found.get().message().file() == null) {
            return Optional.of("no such file");
        }
        String conversation = found.get().message().conversation();
        return Conversations.readable(conversation, user, room -> presence.isInRoom(socket, room))
                ? Optional.empty()
                : Optional.of("you cannot see the conversation this file was sent in");
    }

    /** Whether the file's bytes are on this host's shelf, fetched when only the cluster has them; if not, says why. */
    private boolean onShelf(SocketIOClient client, AckRequest ack, String event, SharedFile file) {
        try {
            if (file != null && shelf.fetch(file.sha256())) {
                return true;
            }
            chat.refuse(client, ack, event, expiredReason());
        } catch (app.parley.store.StoreException e) {
            ThrottledLog.warn(LOG, "file fetches").log("Cannot fetch a shared file: {}", e.getMessage());
            chat.refuse(client, ack, event, "the host cannot read this file now; try again in a moment");
        }
        return false;
    }

    private void read(SocketIOClient client, AckRequest ack, SharedFile file, long offset, int length) {
        if (!onShelf(client, ack, ChatEvents.FILE_READ, file)) {
            return;
        }
        if (offset > file.size()) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, "offset is past the end (" + file.size() + " bytes)");
            return;
        }
        byte[] bytes = new byte[(int) Math.min(length, file.size() - offset)];
        try (FileChannel in = FileChannel.open(shelf.path(file.sha256()), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && in.read(buffer, offset + buffer.position()) >= 0) {
                // reads until the slice is full
            }
        } catch (NoSuchFileException e) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, expiredReason());
            return;
        } catch (IOException e) {
            ThrottledLog.warn(LOG, "file reads").log("Cannot read a shared file: {}", e.getMessage());
            chat.refuse(client, ack, ChatEvents.FILE_READ, "the host could not read the file; try again");
            return;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("ok", true);
        meta.put("offset", offset);
        meta.put("size", file.size());
        meta.put("sha256", file.sha256());
        ack.sendAckData(meta, bytes);
        if (bytes.length >= SocketIoEngine.BULK_ANSWER) {
            engine.paidByItsAnswer(client);
        }
    }

    private static String expiredReason() {
        return "the file expired (the host made room for newer files)";
    }
}
