package app.parley.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one socket (a connection in one namespace) has sent and received: Socket.IO packets and
 * their Engine.IO payload size, a binary attachment counted with the packet that announced it.
 * Sizes are the text's characters (its UTF-8 bytes for ASCII, which chat frames mostly are) and
 * the bytes of binary attachments: counted on the hot path, so nothing is encoded for it.
 * Thread-safe; read at any time.
 */
public final class SocketTraffic {
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    void received(long bytes) {
        messagesIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
    }

    /** A binary attachment of a packet already counted. */
    void receivedAttachment(long bytes) {
        bytesIn.addAndGet(bytes);
    }

    void sent(long bytes) {
        messagesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    public long messagesIn() {
        return messagesIn.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long messagesOut() {
        return messagesOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }
}
