package app.parley.host;

import app.parley.engine.ThrottledLog;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.FileNames;
import app.parley.protocol.ImageHeader;
import app.parley.protocol.SharedFile;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.store.FileShelf;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.MultiTypeArgs;
import com.corundumstudio.socketio.SocketIOClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the file events of a connected socket do (docs/PROTOCOL.md §15): uploads in acknowledged
 * chunks that resume after a dropped connection, checked by SHA-256 and then posted as a message
 * through {@link ChatRequests#post}; downloads in acknowledged reads for whoever may read the
 * conversation. The I/O threads only check and hand over: disk work runs on one files thread.
 */
final class FileRequests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileRequests.class);

    static final int CHUNK = 256 * 1024;
    static final int WINDOW = 8;
    static final int UPLOADS_PER_SOCKET = 4;
    /** Per user, across reconnects: each holds a partial file until it ends or is left an hour. */
    static final int UPLOADS_PER_USER = 16;

    static final long IDLE_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** Chunks taken but not yet written, all sockets together: past it, chunks are refused until the disk catches up. */
    private static final long MAX_QUEUED_BYTES = 64L << 20;
    /** How long a finished upload is remembered, so a lost complete ack or a late re-offer is answered again. */
    private static final long FINISHED_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private static final Pattern MIME =
            Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");

    private final ChatRequests chat;
    private final Guests guests;
    private final Presence presence;
    private final History history;
    private final FileShelf shelf;
    private final HostConfig.FileLimits limits;
    private final FileLinks links;

    /** Uploads under way, by id. */
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    /** Finished ones by id, for a complete sent again; the message they became goes with them. */
    private final Map<String, Finished> finished = new ConcurrentHashMap<>();

    private final AtomicLong queuedBytes = new AtomicLong();
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-files");
        t.setDaemon(true);
        return t;
    });

    private record Finished(Upload upload, SharedFile file, long at) {}

    FileRequests(HostParts parts, ChatRequests chat, FileLinks links, HostConfig.FileLimits limits) {
        this.chat = chat;
        this.guests = parts.guests();
        this.presence = parts.presence();
        this.history = parts.history();
        this.shelf = parts.shelf();
        this.links = links;
        this.limits = limits;
    }

    // ---- Sending ----

    void onOffer(SocketIOClient client, Object payload, AckRequest ack) {
        Guest guest = guests.of(client);
        String user = guest.user();
        Optional<String> refusal = chat.overRate(client).or(() -> ChatRequests.refuseBinary(payload));
        Upload.Offer offer = null;
        if (refusal.isEmpty()) {
            Object parsed = parseOffer(payload);
            if (parsed instanceof String reason) {
                refusal = Optional.of(reason);
            } else {
                offer = (Upload.Offer) parsed;
            }
        }
        if (chat.refused(client, ack, ChatEvents.FILE_OFFER, refusal)) {
            return;
        }
        expireIdle();
        Upload.Offer asked = offer;
        // The same user offering the same client id again: go on where it stopped.
        for (Finished done : finished.values()) {
            if (done.upload().user.equals(user) && done.upload().clientId.equals(asked.clientId())) {
                ack.sendAckData(offered(done.upload().id, done.upload().size));
                return;
            }
        }
        for (Upload under : uploads.values()) {
            if (under.user.equals(user) && under.clientId.equals(asked.clientId())) {
                if (under.offer().sameAs(asked)) {
                    ack.sendAckData(offered(under.id, under.resumeFrom(client.getSessionId())));
                    return;
                }
                drop(under); // the same client id for other bytes: the new offer wins
            }
        }
        long mine = uploads.values().stream()
                .filter(u -> u.socket().equals(client.getSessionId()))
                .count();
        long users = uploads.values().stream().filter(u -> u.user.equals(user)).count();
        if (mine >= UPLOADS_PER_SOCKET || users >= UPLOADS_PER_USER) {
            chat.refuse(
                    client,
                    ack,
                    ChatEvents.FILE_OFFER,
                    "you already have " + UPLOADS_PER_SOCKET + " files on their way; wait for one to finish");
            return;
        }
        Upload upload = new Upload(
                asked,
                user,
                client.getSessionId(),
                shelf.partialFile(UUID.randomUUID().toString()));
        uploads.put(upload.id, upload);
        ack.sendAckData(offered(upload.id, 0));
    }

    private static Map<String, Object> offered(String upload, long have) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("upload", upload);
        answer.put("have", have);
        answer.put("chunk", CHUNK);
        answer.put("window", WINDOW);
        return answer;
    }

    /** A checked offer, or the reason it is refused. */
    private Object parseOffer(Object payload) {
        if (!(payload instanceof Map<?, ?> map)) {
            return "file-offer takes an object: {cid, name, size, sha256, type, room}";
        }
        Object cid = map.get("cid");
        Object name = map.get("name");
        Object size = map.get("size");
        Object sha256 = map.get("sha256");
        Object type = map.get("type");
        Object room = map.get("room") == null ? "" : map.get("room");
        Map<String, Object> sendOptions = new LinkedHashMap<>();
        sendOptions.put("cid", cid);
        sendOptions.put("to", map.get("to"));
        if (!(cid instanceof String)) {
            return "cid is missing: give every file an id of your own, as every message";
        }
        Optional<String> options = SendOptionsRule.check(sendOptions);
        if (options.isPresent()) {
            return options.get();
        }
        if (!(name instanceof String n) || n.length() > 4096) {
            return "name must be the file's name (at most 4096 characters)";
        }
        if (!(size instanceof Number s) || s.doubleValue() != Math.floor(s.doubleValue()) || s.longValue() < 0) {
            return "size must be the file's size in bytes";
        }
        long bytes = ((Number) size).longValue();
        if (bytes > limits.maxFileBytes()) {
            return "the file is " + SharedFile.readableSize(bytes) + "; this host takes files up to "
                    + SharedFile.readableSize(limits.maxFileBytes());
        }
        if (limits.quotaBytes() > 0 && bytes > limits.quotaBytes()) {
            return "the file is larger than this host's space for files ("
                    + SharedFile.readableSize(limits.quotaBytes()) + ")";
        }
        if (!shelf.diskHasRoomFor(bytes)) {
            return "the host's disk is full";
        }
        if (!SharedFile.isSha256(sha256)) {
            return "sha256 must be the file's SHA-256 as 64 lower-case hex digits";
        }
        if (type != null
                && !(type instanceof String t && (t.isEmpty() || MIME.matcher(t).matches()))) {
            return "type must be a MIME type such as image/png";
        }
        Optional<String> target = WireRules.checkTargetRoom(room);
        WireCodec.SendOptions read = SendOptionsRule.read(sendOptions);
        if (target.isEmpty() && read.toUser() == null) {
            target = chat.refuseDeparted(room);
        }
        if (target.isPresent()) {
            return target.get();
        }
        return new Upload.Offer(
                (String) cid,
                FileNames.shown((String) name),
                bytes,
                (String) sha256,
                type instanceof String t && !t.isEmpty() ? t : null,
                (String) room,
                read);
    }

    void onChunk(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object id = args.size() > 0 ? args.get(0) : null;
        Object offset = args.size() > 1 ? args.get(1) : null;
        Object bytes = args.size() > 2 ? args.get(2) : null;
        Upload upload = id instanceof String s ? uploads.get(s) : null;
        if (upload == null || !upload.user.equals(chat.userOf(client))) {
            chat.refuse(client, ack, ChatEvents.FILE_CHUNK, "no such upload (it ended, was cancelled or expired)");
            return;
        }
        if (!(offset instanceof Number o) || !(bytes instanceof byte[] chunk)) {
            chat.refuse(client, ack, ChatEvents.FILE_CHUNK, "file-chunk takes (upload, offset, bytes)");
            return;
        }
        if (chunk.length == 0 || chunk.length > CHUNK) {
            chat.refuse(client, ack, ChatEvents.FILE_CHUNK, "a chunk is 1 to " + CHUNK + " bytes");
            return;
        }
        if (queuedBytes.get() + chunk.length > MAX_QUEUED_BYTES) {
            chat.refuse(
                    client,
                    ack,
                    ChatEvents.FILE_CHUNK,
                    "the host is busy writing files; offer the file again in a moment to go on");
            return;
        }
        long at = o.longValue();
        Optional<String> refusal = upload.take(at, chunk.length);
        if (chat.refused(client, ack, ChatEvents.FILE_CHUNK, refusal)) {
            return;
        }
        queuedBytes.addAndGet(chunk.length);
        onDisk(client, ack, ChatEvents.FILE_CHUNK, () -> {
            try {
                long have = upload.write(at, chunk);
                Optional<ImageHeader.Picture> picture = upload.picture();
                if (picture.isPresent() && picture.get().pixels() > limits.maxPicturePixels()) {
                    drop(upload);
                    chat.refuse(
                            client,
                            ack,
                            ChatEvents.FILE_CHUNK,
                            "the picture is " + picture.get().width() + " x "
                                    + picture.get().height()
                                    + " pixels; this host takes pictures up to "
                                    + String.format(java.util.Locale.ROOT, "%,d", limits.maxPicturePixels())
                                    + " pixels");
                    return;
                }
                ack.sendAckData(Map.of("ok", true, "have", have));
            } catch (IOException e) {
                drop(upload);
                ThrottledLog.warn(LOG, "file writes").log("Cannot write an upload: {}", e.getMessage());
                chat.refuse(client, ack, ChatEvents.FILE_CHUNK, "the host could not write the file; send it again");
            } finally {
                queuedBytes.addAndGet(-chunk.length);
            }
        });
    }

    void onComplete(SocketIOClient client, Object id, AckRequest ack) {
        String user = chat.userOf(client);
        Finished done = id instanceof String s ? finished.get(s) : null;
        if (done != null && done.upload().user.equals(user)) {
            post(client, ack, done.upload(), done.file()); // the store acks the first again, delivers nothing twice
            return;
        }
        Upload upload = id instanceof String s ? uploads.get(s) : null;
        if (upload == null || !upload.user.equals(user)) {
            chat.refuse(client, ack, ChatEvents.FILE_COMPLETE, "no such upload (it ended, was cancelled or expired)");
            return;
        }
        if (chat.refused(
                client,
                ack,
                ChatEvents.FILE_COMPLETE,
                chat.overRate(client)
                        .or(() -> upload.options.toUser() == null
                                ? chat.refuseDeparted(upload.room)
                                : Optional.empty()))) {
            return;
        }
        onDisk(client, ack, ChatEvents.FILE_COMPLETE, () -> {
            if (!upload.complete()) {
                chat.refuse(
                        client,
                        ack,
                        ChatEvents.FILE_COMPLETE,
                        "the host has " + upload.have() + " of " + upload.size + " bytes; send the rest first");
                return;
            }
            try {
                Optional<ImageHeader.Picture> picture = upload.picture();
                String sha = upload.finish();
                if (!sha.equals(upload.sha256)) {
                    drop(upload);
                    chat.refuse(client, ack, ChatEvents.FILE_COMPLETE, "the bytes do not match the offered SHA-256");
                    return;
                }
                List<String> expired = shelf.admit(upload.partial, sha);
                if (!expired.isEmpty()) {
                    LOG.info("Deleted {} older shared files to stay within the quota", expired.size());
                }
                uploads.remove(upload.id);
                SharedFile file = new SharedFile(
                        sha,
                        upload.name,
                        upload.size,
                        picture.map(ImageHeader.Picture::type).orElse(typeOf(upload)),
                        picture.map(ImageHeader.Picture::width).orElse(0),
                        picture.map(ImageHeader.Picture::height).orElse(0),
                        false);
                finished.put(upload.id, new Finished(upload, file, System.currentTimeMillis()));
                post(client, ack, upload, file);
            } catch (IOException | StoreException e) {
                drop(upload);
                ThrottledLog.warn(LOG, "file writes").log("Cannot keep an upload: {}", e.getMessage());
                chat.refuse(client, ack, ChatEvents.FILE_COMPLETE, "the host could not keep the file; send it again");
            }
        });
    }

    /** A declared type that does not claim to be a picture: only the host's reading of the bytes may. */
    private static String typeOf(Upload upload) {
        String declared = upload.declaredType;
        return declared == null || declared.startsWith("image/") ? "application/octet-stream" : declared;
    }

    private void post(SocketIOClient client, AckRequest ack, Upload upload, SharedFile file) {
        String text = "\uD83D\uDCCE " + file.name() + " (" + SharedFile.readableSize(file.size()) + ")";
        chat.post(client, ack, ChatEvents.FILE_COMPLETE, text, upload.room, upload.options, file);
    }

    void onCancel(SocketIOClient client, Object id, AckRequest ack) {
        Upload upload = id instanceof String s ? uploads.get(s) : null;
        if (upload != null && upload.user.equals(chat.userOf(client))) {
            drop(upload);
        }
        if (ack.isAckRequested()) {
            ack.sendAckData(Map.of("ok", true));
        }
    }

    private void drop(Upload upload) {
        uploads.remove(upload.id);
        upload.discard();
    }

    /** Uploads left for an hour go, with their partial files; finished ones are forgotten after a while. */
    private void expireIdle() {
        long idle = System.currentTimeMillis() - IDLE_MILLIS;
        uploads.values().stream().filter(u -> u.idleSince(idle)).toList().forEach(this::drop);
        long old = System.currentTimeMillis() - FINISHED_MILLIS;
        finished.values().removeIf(f -> f.at() < old);
    }

    // ---- Receiving ----

    void onRead(SocketIOClient client, Object payload, AckRequest ack) {
        if (!ack.isAckRequested()) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, "file-read needs an ack: the bytes come in it");
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
        int length = map.get("length") instanceof Number l ? (int) Math.max(1, Math.min(CHUNK, l.longValue())) : CHUNK;
        readable(
                client,
                ack,
                ChatEvents.FILE_READ,
                id,
                file -> onDisk(
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
        readable(client, ack, ChatEvents.FILE_LINK, id, file -> {
            if (!shelf.has(file.sha256())) {
                chat.refuse(client, ack, ChatEvents.FILE_LINK, expiredReason());
                return;
            }
            ack.sendAckData(Map.of("ok", true, "url", links.link(file)));
        });
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
        history.read(
                () -> history.store().byId(id),
                found -> {
                    if (chat.refused(client, ack, event, mayRead(found, user, socket))) {
                        return;
                    }
                    then.accept(Conversations.fromStore(found.get(), null).file());
                },
                reason -> chat.refuse(client, ack, event, reason));
    }

    /** Why {@code user} may not read the file of {@code found}, if they may not. */
    private Optional<String> mayRead(Optional<StoredMessage> found, String user, UUID socket) {
        if (found.isEmpty() || found.get().message().file() == null) {
            return Optional.of("no such file");
        }
        String conversation = found.get().message().conversation();
        boolean allowed = conversation.equals(Conversations.EVERYONE)
                || (conversation.startsWith("#") && presence.isInRoom(socket, conversation.substring(1)))
                || (conversation.startsWith("@") && Conversations.isParticipant(conversation, user));
        return allowed ? Optional.empty() : Optional.of("you cannot see the conversation this file was sent in");
    }

    private void read(SocketIOClient client, AckRequest ack, SharedFile file, long offset, int length) {
        if (file == null || !shelf.has(file.sha256())) {
            chat.refuse(client, ack, ChatEvents.FILE_READ, expiredReason());
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
    }

    private static String expiredReason() {
        return "the file expired (the host made room for newer files)";
    }

    /** A message as a reader sees it now: its file marked expired once the shelf no longer has the bytes. */
    ChatMessage marked(ChatMessage message) {
        SharedFile file = message.file();
        return file == null || file.expired() || shelf.has(file.sha256())
                ? message
                : message.withFile(file.asExpired());
    }

    // ---- Threads ----

    private void onDisk(SocketIOClient client, AckRequest ack, String event, Runnable work) {
        try {
            disk.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("A file request failed", e);
                    chat.refuse(client, ack, event, "the host could not handle the file; try again");
                }
            });
        } catch (RejectedExecutionException e) {
            chat.refuse(client, ack, event, "the host is stopping");
        }
    }

    @Override
    public void close() {
        disk.shutdown();
        try {
            disk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploads.values().forEach(Upload::discard);
        uploads.clear();
    }
}
