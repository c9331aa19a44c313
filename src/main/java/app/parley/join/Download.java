package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.SharedFile;
import app.parley.protocol.WireCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One file coming down from the host (docs/PROTOCOL.md §15.3): read with {@code file-read} a
 * chunk at a time into {@code <destination>.part}, hashed as it is written, and moved to its name
 * once its SHA-256 matches. Up to {@link #WINDOW} reads are on their way at once, as an upload's
 * chunks are: one at a time, every chunk waited a whole round trip through both ends' threads.
 * After a dropped connection it reads on from what the {@code .part} holds; a {@code .part} left
 * by an earlier run is hashed again and read on from too.
 */
final class Download extends ActiveTransfer {
    /** The most a read asks for: the most a Parley host answers (PROTOCOL §15.3). */
    private static final int CHUNK = 512 * 1024;
    /** Reads on their way at once: the upload's window (§15.2), so memory holds a few chunks. */
    static final int WINDOW = 8;

    private final String messageId;
    private final SharedFile shared;
    private final Path destination;
    private final Path part;

    private FileChannel channel;
    private MessageDigest digest;
    /** Bytes in the {@code .part} and the digest, from the start with no gap. */
    private long offset;
    /** Where the next read starts: {@code offset} plus what the reads on their way will bring. */
    private long requested;
    /** Answers that came ahead of an earlier one still on its way (a host may answer out of order). */
    private final Map<Long, byte[]> early = new HashMap<>();

    private boolean everAnswered;
    /** Pauses in a row for refusals that said to wait a moment. */
    private int waits;
    /** Reads refused for a moment ({offset, length}), asked again together after one pause. */
    private final List<long[]> refused = new ArrayList<>();
    /** The most a read asks for: {@link #CHUNK}, or the less a host answers when its most is smaller. */
    private int chunk = CHUNK;
    /** Where reading last (re)started: reads grow from here ({@link #pieceNow}). */
    private long resumedAt;

    Download(FileTransfers.Context context, String messageId, SharedFile shared, Path destination) {
        super(context, Direction.RECEIVE, shared.name(), shared.size());
        this.messageId = messageId;
        this.shared = shared;
        this.destination = destination;
        this.part = destination.resolveSibling(destination.getFileName() + ".part");
    }

    Path destination() {
        return destination;
    }

    void start() {
        run(() -> {
            if (finished()) {
                return;
            }
            channel = FileChannel.open(
                    part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (channel.size() > size) {
                channel.truncate(0); // not a beginning of this file
            }
            digest = MessageDigest.getInstance("SHA-256");
            offset = rehash(channel.size());
            if (cancelRequested) {
                return; // the cancel that stopped the hashing is next in line
            }
            progress(offset);
            if (offset >= size) {
                arrived();
            } else if (context.wire().connected()) {
                read();
            } else {
                pause();
            }
        });
    }

    /** Hashes what an earlier attempt left in the {@code .part}, so the whole file is checked at the end. */
    private long rehash(long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long position = 0;
        while (position < length && !cancelRequested) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            buffer.flip();
            digest.update(buffer);
            position += n;
        }
        return position;
    }

    @Override
    void resume() {
        read();
    }

    /** (Re)starts reading at {@code offset}: answers to earlier reads are stale from here on. */
    private void read() {
        running();
        restarted();
        ++generation;
        early.clear();
        refused.clear();
        requested = offset;
        resumedAt = offset;
        ask();
    }

    /**
     * Puts reads on the wire until {@link #WINDOW} are on their way or the whole file is asked for;
     * they grow to {@code chunk} as the link holds ({@link #pieceNow}).
     */
    private void ask() {
        int gen = generation;
        while (true) {
            int piece = pieceNow(offset - resumedAt, WINDOW, chunk);
            if (requested >= size || requested - offset >= (long) WINDOW * piece) {
                break;
            }
            long at = requested;
            int length = (int) Math.min(piece, size - at);
            requested += length;
            askFor(gen, at, length, true);
        }
    }

    /**
     * Puts one read on the wire: {@code length} bytes from {@code at}; {@code watch} when it is
     * asked for the first time (a read asked again is still watched from then).
     */
    private void askFor(int gen, long at, int length, boolean watch) {
        Map<String, Object> request = Map.of("id", messageId, "offset", at, "length", length);
        ask(gen, ChatEvents.FILE_READ, List.of(request), (askedAt, ack) -> got(gen, askedAt, at, length, ack));
        if (!watch) {
            return;
        }
        whenOverdue(() -> gen == generation && !paused() && offset <= at, () -> {
            if (!everAnswered && !context.parleyHost().getAsBoolean()) {
                fail("Not received: " + context.endpoint() + " did not answer within "
                        + context.ackTimeout().toSeconds()
                        + " s; it does not serve files (it is not a Parley host)");
            } else if (context.wire().connected()) {
                read();
            } else {
                pause();
            }
        });
    }

    private void got(int gen, long askedAt, long at, int length, List<Object> ack) throws Exception {
        heard(askedAt);
        if (gen != generation || finished()) {
            return;
        }
        everAnswered = true;
        Object meta = ack.isEmpty() ? null : ack.get(0);
        Optional<String> refusal = WireCodec.refusalReason(meta);
        if (refusal.isPresent() && Upload.isTransient(refusal.get())) {
            // A host with much on its way to this connection (two downloads at once, say): the
            // reads it refused are asked again after a moment, while the answers to the others
            // still come and are kept. The window holds back new reads until the gaps are filled.
            refused.add(new long[] {at, length});
            if (refused.size() > 1) {
                return; // asked again with the first, after the same pause
            }
            if (++waits <= Upload.TRANSIENT_REFUSALS) {
                later(Upload.RETRY_PAUSE, () -> {
                    if (gen == generation && !finished() && !paused()) {
                        List<long[]> again = List.copyOf(refused);
                        refused.clear();
                        again.forEach(read -> askFor(gen, read[0], (int) read[1], false));
                    }
                });
                return;
            }
        }
        if (refusal.isPresent()) {
            fail("Not received: " + refusal.get());
            return;
        }
        waits = 0;
        long from = meta instanceof Map<?, ?> map && map.get("offset") instanceof Number n ? n.longValue() : at;
        byte[] bytes = ack.size() > 1 && ack.get(1) instanceof byte[] b ? b : new byte[0];
        if (from != at) {
            read(); // an answer to another question: ask again from what we hold
            return;
        }
        if (bytes.length == 0 || at + bytes.length > size) {
            fail("Not received: the host sent " + (bytes.length == 0 ? "nothing" : "too much") + " at byte " + at
                    + " of " + size);
            return;
        }
        early.put(at, bytes);
        while (early.containsKey(offset)) {
            byte[] next = early.remove(offset);
            ByteBuffer buffer = ByteBuffer.wrap(next);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            digest.update(next);
            offset += next.length;
        }
        landed(offset);
        progress(offset);
        if (offset >= size) {
            arrived();
        } else if (bytes.length < length) {
            // Less than asked before the end: the reads after it start past a gap. Ask for as much
            // as the host answered from here on, so it does not happen at every read.
            chunk = bytes.length;
            read();
        } else {
            ask();
        }
    }

    /** Every byte is in the {@code .part}: checked, then moved to its name in one step. */
    private void arrived() throws IOException {
        channel.force(false);
        channel.close();
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(shared.sha256())) {
            Files.deleteIfExists(part);
            fail("Not received: the bytes do not match the file's SHA-256; the download was discarded");
            return;
        }
        try {
            Files.move(part, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, destination, StandardCopyOption.REPLACE_EXISTING);
        }
        succeed();
    }

    @Override
    void cancelled() throws IOException {
        release();
        Files.deleteIfExists(part);
    }

    @Override
    void release() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException e) {
                // what was written stays in the .part for the next attempt
            }
        }
        if (offset == 0) {
            try {
                Files.deleteIfExists(part); // nothing came (a refusal): no empty .part left behind
            } catch (IOException e) {
                // an empty file; the next attempt starts from it just the same
            }
        }
    }
}
