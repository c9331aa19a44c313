package app.parley.session;

import java.util.concurrent.CompletableFuture;

/**
 * One file going up to the host or coming down from it (docs/PROTOCOL.md §15). Progress arrives as
 * {@link SessionEvent.TransferProgress} with this {@link #id()}; {@link #done()} completes when the
 * file is there, or exceptionally with a {@link SessionException} saying why not (cancelled,
 * refused, checksum mismatch). A dropped connection pauses it; it goes on from where it stopped.
 */
public interface FileTransfer {

    /** Which way the bytes go. */
    enum Direction {
        SEND,
        RECEIVE
    }

    /** Unique in this session; the key of its progress events. */
    String id();

    Direction direction();

    /** The file's name as shown (already safe to show). */
    String name();

    /** Its size in bytes. */
    long size();

    /** Completes when the host has stored it (send) or the bytes are checked on disk (receive). */
    CompletableFuture<Void> done();

    /** Stops it on this end; the other end is told when it can be (an upload is dropped on the host). */
    void cancel();

    /** A transfer that could not begin, already failed with {@code reason}. */
    static FileTransfer failed(Direction direction, String name, long size, String reason) {
        String id = java.util.UUID.randomUUID().toString();
        CompletableFuture<Void> failure = CompletableFuture.failedFuture(new SessionException(reason));
        return new FileTransfer() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Direction direction() {
                return direction;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public CompletableFuture<Void> done() {
                return failure;
            }

            @Override
            public void cancel() {}
        };
    }
}
