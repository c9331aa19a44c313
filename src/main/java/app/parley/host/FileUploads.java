package app.parley.host;

import app.parley.engine.ThrottledLog;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.FileNames;
import app.parley.protocol.ImageHeader;
import app.parley.protocol.SharedFile;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.store.FileShelf;
import app.parley.store.StoreException;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.MultiTypeArgs;
import com.corundumstudio.socketio.SocketIOClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the upload events of a connected socket do (docs/PROTOCOL.md §15.2): offers, chunks that
 * resume after a dropped connection from what the host holds, a SHA-256 check, then a message
 * posted through {@link ChatRequests#post}. The I/O threads only check and hand over: disk work
 * runs on the {@link FilesThread}.
 */
final class FileUploads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileUploads.class);

    static final int CHUNK = 512 * 1024;
    static final int WINDOW = 8;
    static final int UPLOADS_PER_SOCKET = 4;
    /** Per user, across reconnects: each holds a partial file until it ends or is left an hour. */
    static final int UPLOADS_PER_USER = 16;

    static final long IDLE_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** Why a {@code sha256} in an offer or a complete is refused. */
    private static final String SHA256_FORM = "sha256 must be the file's SHA-256 as 64 lower-case hex digits";
    /** Chunks taken but not yet written, all sockets together: past it, chunks are refused until the disk catches up. */
    private static final long MAX_QUEUED_BYTES = 64L << 20;
    /** How long a finished upload is remembered, so a lost complete ack or a late re-offer is answered again. */
    private static final long FINISHED_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private static final Pattern MIME =
            Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");

    private final ChatRequests chat;
    private final Guests guests;
    private final FileShelf shelf;
    private final HostConfig.FileLimits limits;
    private final FilesThread disk;

    /** Uploads under way, by id. */
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    /** Finished ones by id, for a complete sent again; the message they became goes with them. */
    private final Map<String, Finished> finished = new ConcurrentHashMap<>();

    private final AtomicLong queuedBytes = new AtomicLong();

    private record Finished(Upload upload, SharedFile file, long at) {}

    FileUploads(HostParts parts, ChatRequests chat, FilesThread disk, HostConfig.FileLimits limits) {
        this.chat = chat;
        this.guests = parts.guests();
        this.shelf = parts.shelf();
        this.disk = disk;
        this.limits = limits;
    }

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
            return "file-offer takes an object: {cid, name, size, sha256?, type?, room}";
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
        // Uploads under way will need their whole size too: many at once must not fill the disk
        // that each alone would fit on.
        long reserved =
                uploads.values().stream().mapToLong(u -> u.size - u.have()).sum();
        if (!shelf.diskHasRoomFor(reserved + bytes)) {
            return "the host's disk is full";
        }
        if (sha256 != null && !SharedFile.isSha256(sha256)) {
            return SHA256_FORM;
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
        disk.run(client, ack, ChatEvents.FILE_CHUNK, () -> {
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

    void onComplete(SocketIOClient client, MultiTypeArgs args, AckRequest ack) {
        Object id = args.size() > 0 ? args.get(0) : null;
        Object named = args.size() > 1 ? args.get(1) : null;
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
        // The sender may hash as it sends and name the SHA-256 only now; named twice, it must agree.
        String expected = upload.sha256 != null ? upload.sha256 : named instanceof String s ? s : null;
        if (chat.refused(
                client,
                ack,
                ChatEvents.FILE_COMPLETE,
                chat.overRate(client)
                        .or(() -> named != null && !SharedFile.isSha256(named)
                                ? Optional.of(SHA256_FORM)
                                : Optional.empty())
                        .or(() -> expected == null
                                ? Optional.of("sha256 is missing: name it in the offer or in file-complete")
                                : Optional.empty())
                        .or(() -> upload.options.toUser() == null
                                ? chat.refuseDeparted(upload.room)
                                : Optional.empty()))) {
            return;
        }
        disk.run(client, ack, ChatEvents.FILE_COMPLETE, () -> {
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
                if (!sha.equals(expected) || (named != null && !sha.equals(named))) {
                    drop(upload);
                    chat.refuse(client, ack, ChatEvents.FILE_COMPLETE, "the bytes do not match the offered SHA-256");
                    return;
                }
                List<String> expired = shelf.admit(upload.partial, sha);
                if (!expired.isEmpty()) {
                    LOG.info("Deleted {} older shared files to stay within the quota", expired.size());
                }
                // In a cluster, kept for every host before anyone hears of it.
                List<String> droppedInCluster = shelf.share(sha);
                if (!droppedInCluster.isEmpty()) {
                    LOG.info(
                            "Deleted {} older shared files from the cluster's store to stay within the quota",
                            droppedInCluster.size());
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
        chat.post(client, ack, ChatEvents.FILE_COMPLETE, text, upload.room, upload.options, file, upload.user);
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

    @Override
    public void close() {
        uploads.values().forEach(Upload::discard);
        uploads.clear();
    }
}
