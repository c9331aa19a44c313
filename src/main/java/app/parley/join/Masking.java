package app.parley.join;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * A client's binary WebSocket frame, masked as RFC 6455 §5.3 requires of every frame a client
 * sends: a fresh unpredictable key per frame, XORed over the payload. Netty's encoder masks through
 * its buffers' checked accessors eight bytes at a time, the busiest code of the client's connection
 * thread during a file upload; this reads and writes plain {@link ByteBuffer}s in the machine's
 * byte order instead (docs/PERFORMANCE.md, "What limits a file transfer").
 */
final class Masking {
    private static final SecureRandom KEYS = new SecureRandom();

    private Masking() {}

    /** A final binary frame (FIN, opcode 2, MASK) holding {@code payload}'s readable bytes, which it leaves as they are. */
    static ByteBuf binaryFrame(ByteBufAllocator alloc, ByteBuf payload) {
        int length = payload.readableBytes();
        int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = alloc.buffer(header + 4 + length);
        try {
            return fill(frame, payload, length);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    private static ByteBuf fill(ByteBuf frame, ByteBuf payload, int length) {
        frame.writeByte(0x80 | 0x2);
        if (length <= 125) {
            frame.writeByte(0x80 | length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(0x80 | 126);
            frame.writeShort(length);
        } else {
            frame.writeByte(0x80 | 127);
            frame.writeLong(length);
        }
        int key = KEYS.nextInt();
        frame.writeInt(key);
        mask(payload.nioBuffer(payload.readerIndex(), length), frame.nioBuffer(frame.writerIndex(), length), key);
        frame.writerIndex(frame.writerIndex() + length);
        return frame;
    }

    /** Writes {@code from} XOR the key (its bytes big-endian, repeating) to {@code to}, from position 0 of each. */
    static void mask(ByteBuffer from, ByteBuffer to, int key) {
        int length = from.remaining();
        ByteBuffer in = from.slice().order(ByteOrder.nativeOrder());
        ByteBuffer out = to.slice().order(ByteOrder.nativeOrder());
        long wide = (key & 0xFFFFFFFFL) | ((long) key << 32);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            wide = Long.reverseBytes(wide); // the key's first byte lands on the lowest address
        }
        int i = 0;
        for (int last = length - 8; i <= last; i += 8) {
            out.putLong(i, in.getLong(i) ^ wide);
        }
        for (; i < length; i++) {
            out.put(i, (byte) (in.get(i) ^ (key >>> (24 - 8 * (i & 3)))));
        }
    }
}
