package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One file going up to the host (docs/PROTOCOL.md §15.2): offered with its client id at once, sent
 * in chunks read from disk as they go (at most {@code window} unacknowledged, so memory holds a
 * few chunks whatever the file's size) and hashed as they are read, then completed with its
 * SHA-256. After a dropped connection, a timed-out ack or a refused chunk it is offered again with
 * the same client id, and the host's {@code have} says where to go on from: resumed, not
 * restarted. A host that wants the SHA-256 in the offer (Parley before the hash moved to
 * {@code file-complete}) gets the file hashed first, as it used to be.
 */
final class Upload extends ActiveTransfer {
    /** Refusals in a row, without a chunk getting through, before the upload gives up. */
    private static final int REFUSALS = 3;
    /** Refusals in a row that say to wait (a busy host), a pause apart, before the upload gives up. */
    static final int TRANSIENT_REFUSALS = 40;

    static final java.time.Duration RETRY_PAUSE = java.time.Duration.ofMillis(500);

    private static final int MAX_CHUNK = 1 << 20;
    private static final int MAX_WINDOW = 32;

    private final Path file;
    private final String clientId;
    private final String room;
    private final String toUser;

    private FileChannel channel;
    /** The file's SHA-256 once every byte was hashed; in the offer only for a host that needs it there. */
    private String sha256;
    /** The host refused an offer without the SHA-256 (an earlier Parley): it gets it there. */
    private boolean hashInOffer;
    /** The file's first {@link #hashed} bytes, in order: the digest follows what is sent. */
    private MessageDigest digest;

    private long hashed;
    private String type;
    /** The host's id of this upload, from the last offer's ack. */
    private String upload;

    /** The largest chunk the host takes, and how many may be unacknowledged (its offer's answer). */
    private int chunk;

    private int window;
    /** What the host had when this generation's offer was answered: pieces grow from here. */
    private long resumedAt;
    /** Bytes the host acknowledged, and bytes put on the wire (acked or not); read by the other uploads. */
    private volatile long acked;

    private volatile long sent;
    /** It found no room under the connection's limit for uploads on long-polling: a nudge moves it. */
    private volatile boolean waitingForRoom;
    /** Chunks of this generation whose ack has not come (answered or refused). */
    private int unanswered;
    /** Whether an offer was ever answered: a server that never answers one does not take files. */
    private boolean everOffered;
    /** The generation whose offer was answered. */
    private int answered = -1;

    private int refusals;
    private String lastRefusal;
    /** A chunk was refused: waiting for the acks still due before offering again. */
    private boolean resyncing;

    Upload(FileTransfers.Context context, Path file, String name, String clientId, String room, String toUser) {
        super(context, Direction.SEND, name, sizeOf(file));
        this.file = file;
        this.clientId = clientId;
        this.room = room;
        this.toUser = toUser;
    }

    String clientId() {
        return clientId;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    void start() {
        run(() -> {
            if (finished()) {
                return; // cancelled before it began
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
            size = channel.size();
            digest = MessageDigest.getInstance("SHA-256");
            progress(0);
            type = contentType();
            if (context.wire().connected()) {
                offer();
            } else {
                pause();
            }
        });
    }

    /**
     * Brings the digest to exactly the first {@code target} bytes, reading the file for what it
     * lacks: after a resume from less than was sent it starts over, since a digest cannot go back.
     * Returns false when a cancel stopped it.
     */
    private boolean hashTo(long target) throws IOException, NoSuchAlgorithmException {
        if (sha256 != null) {
            return true; // every byte was hashed already
        }
        if (hashed > target) {
            digest = MessageDigest.getInstance("SHA-256");
            hashed = 0;
        }
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        while (hashed < target) {
            if (cancelRequested) {
                return false;
            }
            buffer.clear().limit((int) Math.min(buffer.capacity(), target - hashed));
            int n = channel.read(buffer, hashed);
            if (n < 0) {
                throw new EOFException(file + " got shorter while it was being read");
            }
            buffer.flip();
            digest.update(buffer);
            hashed += n;
        }
        if (hashed == size && sha256 == null) {
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return true;
    }

    @Override
    void resume() {
        if (!cancelRequested) {
            offer();
        }
    }

    /** Offers the file (again): the host's ack says where to go on from. */
    private void offer() {
        running();
        restarted();
        int gen = ++generation;
        unanswered = 0;
        resyncing = false;
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("cid", clientId);
        offer.put("name", name());
        offer.put("size", size);
        if (hashInOffer) {
            offer.put("sha256", sha256);
        }
        if (type != null) {
            offer.put("type", type);
        }
        offer.put("room", room);
        if (toUser != null) {
            offer.put("to", toUser);
        }
        ask(gen, ChatEvents.FILE_OFFER, List.of(offer), (askedAt, ack) -> offered(gen, askedAt, ack));
        whenOverdue(() -> gen == generation && answered != gen && !paused(), () -> offerUnanswered(gen));
    }

    /** What the system says the file is, or null; the host decides what it tells receivers. */
    private String contentType() {
        try {
            return Files.probeContentType(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void offered(int gen, long askedAt, List<Object> ack) throws IOException, NoSuchAlgorithmException {
        heard(askedAt);
        if (gen != generation || finished()) {
            return;
        }
        answered = gen;
        everOffered = true;
        Object first = ack.isEmpty() ? null : ack.get(0);
        Optional<String> refusal = WireCodec.refusalReason(first);
        if (refusal.isPresent() && refusal.get().startsWith("sha256 must be") && !hashInOffer) {
            // A host that checks the hash in the offer: hash the whole file first, then offer again.
            hashInOffer = true;
            if (hashTo(size)) {
                offer();
            }
            return;
        }
        if (refusal.isPresent() && isTransient(refusal.get())) {
            offerAgainAfter(refusal.get());
            return;
        }
        if (refusal.isPresent()) {
            fail("Not sent: " + refusal.get());
            return;
        }
        if (!(first instanceof Map<?, ?> map && map.get("upload") instanceof String id)) {
            fail("Not sent: " + context.endpoint() + " answered the file offer with something else than an upload");
            return;
        }
        upload = id;
        chunk = clamp(map.get("chunk"), 256 * 1024, MAX_CHUNK);
        window = clamp(map.get("window"), 8, MAX_WINDOW);
        acked = map.get("have") instanceof Number have ? Math.max(0, Math.min(size, have.longValue())) : 0;
        boolean freed = sent > acked;
        sent = acked;
        resumedAt = acked;
        if (freed) {
            context.nudgeUploads(this); // what the last round had on its way is off the count
        }
        progress(acked);
        if (acked >= size) {
            complete();
        } else {
            pump();
        }
    }

    private static int clamp(Object value, int otherwise, int most) {
        return value instanceof Number n && n.longValue() > 0 ? (int) Math.min(most, n.longValue()) : otherwise;
    }

    private void offerUnanswered(int gen) {
        if (gen != generation || answered == gen || finished() || paused()) {
            return;
        }
        if (!everOffered && !context.parleyHost().getAsBoolean()) {
            fail("Not sent: " + context.endpoint() + " did not answer the file offer within "
                    + context.ackTimeout().toSeconds() + " s; it does not take files (it is not a Parley host)");
            return;
        }
        stalled();
    }

    /** An ack did not come: as after a dropped connection, ask the host where it stands. */
    private void stalled() {
        if (finished()) {
            return;
        }
        if (context.wire().connected()) {
            offer();
        } else {
            pause();
        }
    }

    /**
     * Whether {@code length} more bytes may go on the wire now, the connection's other uploads
     * counted when they share a limit; if so they are counted as sent at once.
     */
    private boolean roomFor(int length, long most) {
        if (most == Long.MAX_VALUE) {
            sent += length;
            return true;
        }
        synchronized (context.sending()) {
            if (context.othersOnItsWay(this) + sent - acked + length > most) {
                waitingForRoom = true; // set under the lock: an upload making room later sees it
                return false;
            }
            waitingForRoom = false;
            sent += length;
            return true;
        }
    }

    /** Bytes put on the wire and not acknowledged yet; none once it ended. */
    long onItsWay() {
        return finished() ? 0 : Math.max(0, sent - acked);
    }

    /** Another upload of the connection made room: go on if this one found none and waits for nothing else. */
    void nudge() {
        if (!waitingForRoom) {
            return;
        }
        run(() -> {
            if (upload != null && answered == generation && !resyncing && !finished() && !paused() && acked < size) {
                pump();
            }
        });
    }

    /**
     * Puts chunks on the wire until {@code window} chunks' worth are unacknowledged. Counted in
     * bytes the host has, not in acks: an ack that went missing is covered by the next one. The
     * chunks grow to the host's {@code chunk} as the link holds
     * ({@link #pieceNow}); on long-polling they stay within what one request may carry, with the
     * connection's other uploads ({@link FileTransfers.Wire#mostOnItsWay}), and go on when one of
     * those has an ack ({@link #nudge}).
     */
    private void pump() throws IOException, NoSuchAlgorithmException {
        int gen = generation;
        if (!hashTo(sent)) {
            return;
        }
        long most = context.wire().mostOnItsWay();
        while (true) {
            int piece = (int) Math.min(pieceNow(acked - resumedAt, window, chunk), most / 2);
            long offset = sent;
            int length = (int) Math.min(piece, size - offset);
            if (offset >= size || offset - acked >= (long) window * piece || !roomFor(length, most)) {
                break;
            }
            byte[] bytes = new byte[length];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException(file + " got shorter while it was being sent");
                }
            }
            if (sha256 == null) {
                digest.update(bytes); // hashTo(sent) above: the digest is at exactly this offset
                hashed += length;
            }
            unanswered++;
            ask(
                    gen,
                    ChatEvents.FILE_CHUNK,
                    List.of(upload, offset, bytes),
                    (askedAt, ack) -> chunkAcked(gen, askedAt, ack));
            whenOverdue(() -> gen == generation && acked < offset + length && !paused(), this::stalled);
        }
    }

    private void chunkAcked(int gen, long askedAt, List<Object> ack) throws IOException, NoSuchAlgorithmException {
        heard(askedAt);
        if (gen != generation || finished()) {
            return;
        }
        unanswered--;
        Object first = ack.isEmpty() ? null : ack.get(0);
        Optional<String> refusal = WireCodec.refusalReason(first);
        if (refusal.isPresent()) {
            // Out of step with the host (an offset it did not expect, an upload it dropped, a disk
            // that is behind): once the acks still due are in, ask it where it stands (§15.2).
            lastRefusal = refusal.get();
            resyncing = true;
        } else if (first instanceof Map<?, ?> map && map.get("have") instanceof Number have) {
            acked = Math.max(acked, Math.min(size, have.longValue()));
            refusals = 0;
            landed(acked);
            progress(acked);
            context.nudgeUploads(this);
        }
        if (resyncing) {
            if (unanswered <= 0) {
                resyncing = false;
                offerAgainAfter(lastRefusal);
            }
        } else if (acked >= size) {
            complete();
        } else {
            pump();
        }
    }

    /**
     * After a refusal: offer again, at once when out of step, after a moment when the host is busy
     * or counting events; past a few refusals in a row without a byte getting through, give up.
     */
    private void offerAgainAfter(String refusal) {
        boolean wait = isTransient(refusal);
        if (refusal.startsWith("the picture is")) {
            fail("Not sent: " + refusal); // over the host's pixel limit: sending it again cannot help
            return;
        }
        if (++refusals > (wait ? TRANSIENT_REFUSALS : REFUSALS)) {
            fail("Not sent: " + refusal);
            return;
        }
        int gen = ++generation;
        if (wait) {
            later(RETRY_PAUSE, () -> {
                if (gen == generation && !finished() && !paused()) {
                    stalled();
                }
            });
        } else {
            stalled();
        }
    }

    /** Refusals that go away by themselves: a busy disk, the chat rate, a host that says to try again. */
    static boolean isTransient(String refusal) {
        return refusal.startsWith("too many events")
                || refusal.contains("busy")
                || refusal.contains("try again")
                || refusal.contains("in a moment");
    }

    /** Every byte is on the host: it checks them and stores the message. */
    private void complete() throws IOException, NoSuchAlgorithmException {
        if (!hashTo(size)) {
            return;
        }
        int gen = ++generation;
        ask(gen, ChatEvents.FILE_COMPLETE, hashInOffer ? List.of(upload) : List.of(upload, sha256), (askedAt, ack) -> {
            if (gen != generation || finished()) {
                return;
            }
            Object first = ack.isEmpty() ? null : ack.get(0);
            Optional<String> refusal = WireCodec.refusalReason(first);
            if (refusal.isPresent()) {
                fail("Not sent: " + refusal.get());
                return;
            }
            if (first instanceof Map<?, ?> map && map.get("id") instanceof String id) {
                context.ownMessage().accept(id);
            }
            succeed();
        });
        later(context.ackTimeout(), () -> {
            if (gen == generation && !finished() && !paused()) {
                stalled(); // completing again is safe: the host acks the stored message again
            }
        });
    }

    @Override
    void cancelled() {
        if (upload != null) {
            // With an ack: a server that calls acks unconditionally must find one.
            context.wire().emit(ChatEvents.FILE_CANCEL, List.of(upload), () -> true, ack -> {});
        }
    }

    @Override
    void release() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
        }
    }
}
