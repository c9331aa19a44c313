package app.parley.host;

import app.parley.protocol.ImageHeader;
import app.parley.protocol.WireCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * One file on its way up (docs/PROTOCOL.md §15.2): what was offered, where its bytes go, and how
 * far they got. {@link #expected} moves on the I/O thread as chunks are taken, in arrival order;
 * {@link #have}, the file and the digest on the files thread as they are written, so an ack never
 * says more than the disk holds. Guarded by this.
 */
final class Upload {
    final String id = UUID.randomUUID().toString();
    final String user;
    final String clientId;
    final String name;
    final String declaredType;
    /** The SHA-256 the offer named, or null: then {@code file-complete} names it (§15.2). */
    final String sha256;

    final long size;
    final String room;
    final WireCodec.SendOptions options;
    final Path partial;

    /** The socket sending it now; the same user may go on from another after a reconnect. */
    private UUID socket;
    /** The offset the next chunk must have: what was taken, written or not. */
    private long expected;
    /** What is written to {@link #partial}. */
    private long have;

    private long lastActivity = System.currentTimeMillis();
    private FileChannel out;
    private final MessageDigest digest;
    /** The first bytes, kept until a picture's size can be read from them. */
    private byte[] head = new byte[0];

    private ImageHeader.Picture picture;
    private boolean closed;

    Upload(Offer offer, String user, UUID socket, Path partial) {
        this.user = user;
        this.clientId = offer.clientId();
        this.name = offer.name();
        this.declaredType = offer.type();
        this.sha256 = offer.sha256();
        this.size = offer.size();
        this.room = offer.room();
        this.options = offer.options();
        this.partial = partial;
        this.socket = socket;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A checked {@code file-offer}: the name already made safe (§15.5). */
    record Offer(
            String clientId,
            String name,
            long size,
            String sha256,
            String type,
            String room,
            WireCodec.SendOptions options) {

        /** Whether {@code other} offers the same bytes to the same place (a resume, not a new file). */
        boolean sameAs(Offer other) {
            return java.util.Objects.equals(sha256, other.sha256) && size == other.size && room.equals(other.room);
        }
    }

    Offer offer() {
        return new Offer(clientId, name, size, sha256, declaredType, room, options);
    }

    synchronized UUID socket() {
        return socket;
    }

    /** Goes on from {@code newSocket}: the offset to send from is what is written, not what was taken. */
    synchronized long resumeFrom(UUID newSocket) {
        socket = newSocket;
        expected = have;
        lastActivity = System.currentTimeMillis();
        return have;
    }

    /**
     * Takes a chunk at {@code offset} of {@code length} bytes, or says why not; on the I/O thread,
     * before the bytes are handed to the files thread.
     */
    synchronized Optional<String> take(long offset, int length) {
        if (closed) {
            return Optional.of("the upload was cancelled or has ended");
        }
        if (offset != expected) {
            return Optional.of("expected offset " + expected);
        }
        if (expected + length > size) {
            return Optional.of("the chunk goes past the offered size of " + size + " bytes");
        }
        expected += length;
        lastActivity = System.currentTimeMillis();
        return Optional.empty();
    }

    /**
     * Writes bytes taken at {@code offset}, on the files thread. Returns what is written so far.
     *
     * @throws IOException when the disk fails; the upload is then of no further use
     */
    synchronized long write(long offset, byte[] bytes) throws IOException {
        if (closed) {
            throw new IOException("the upload was cancelled or has ended");
        }
        if (offset != have) {
            // A chunk taken before a resume moved the offset back: its bytes are written again later.
            return have;
        }
        if (out == null) {
            out = FileChannel.open(
                    partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer, have + buffer.position());
        }
        digest.update(bytes);
        if (head != null && head.length < ImageHeader.NEEDED) {
            int keep = Math.min(bytes.length, ImageHeader.NEEDED - head.length);
            byte[] grown = java.util.Arrays.copyOf(head, head.length + keep);
            System.arraycopy(bytes, 0, grown, head.length, keep);
            head = grown;
        }
        have += bytes.length;
        lastActivity = System.currentTimeMillis();
        return have;
    }

    /**
     * Once enough of the first bytes are here, whether they are a picture and its size (read once;
     * the head is then let go). Empty while not known yet or not a picture whose size can be read.
     */
    synchronized Optional<ImageHeader.Picture> picture() {
        if (head != null && (head.length >= ImageHeader.NEEDED || have == size)) {
            picture = ImageHeader.read(head, head.length).orElse(null);
            head = null;
        }
        return Optional.ofNullable(picture);
    }

    synchronized long have() {
        return have;
    }

    synchronized boolean complete() {
        return have == size;
    }

    /** The SHA-256 of everything written, once it is all there; then the file is on the disk. */
    synchronized String finish() throws IOException {
        if (out != null) {
            out.force(true);
            out.close();
            out = null;
        } else {
            Files.write(partial, new byte[0]); // an empty file: nothing was ever written
        }
        closed = true;
        return HexFormat.of().formatHex(digest.digest());
    }

    synchronized boolean idleSince(long millis) {
        return lastActivity < millis;
    }

    /** Ends it and deletes what it held; safe to call twice. */
    synchronized void discard() {
        closed = true;
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // deleted next
        }
        out = null;
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // a leftover partial is deleted when the shelf next opens
        }
    }
}
