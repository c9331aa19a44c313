package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client's own masking of binary frames ({@link Masking}), read back by Netty's server-side
 * decoder, which requires a mask and takes it off (RFC 6455 §5.3), and by a byte-at-a-time unmask.
 */
class MaskingTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 524_288 + 5};

    @Test
    void nettysServerDecoderReadsBackEveryLength() {
        Random random = new Random(1);
        for (int length : LENGTHS) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            ByteBuf source = Unpooled.wrappedBuffer(ByteBuffer.wrap(payload).asReadOnlyBuffer());
            ByteBuf frame = Masking.binaryFrame(ByteBufAllocator.DEFAULT, source);
            assertThat(source.readerIndex()).as("the payload is left as it was").isZero();

            EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(true)
                    .allowMaskMismatch(false)
                    .maxFramePayloadLength(1 << 20)
                    .build()));
            server.writeInbound(frame);
            BinaryWebSocketFrame read = server.readInbound();
            assertThat(read).as("a frame of %d bytes", length).isNotNull();
            assertThat(read.isFinalFragment()).isTrue();
            assertThat(ByteBufUtil.getBytes(read.content()))
                    .as("%d bytes", length)
                    .isEqualTo(payload);
            read.release();
            server.finishAndReleaseAll();
        }
    }

    @Test
    void eachByteIsXoredWithTheKeyByteAtItsPositionModFour() {
        byte[] payload = new byte[1000 + 3];
        new Random(2).nextBytes(payload);
        ByteBuffer out = ByteBuffer.allocateDirect(payload.length);
        int key = 0x8badf00d;
        Masking.mask(ByteBuffer.wrap(payload).asReadOnlyBuffer(), out, key);
        byte[] keyBytes = {(byte) 0x8b, (byte) 0xad, (byte) 0xf0, (byte) 0x0d};
        for (int i = 0; i < payload.length; i++) {
            assertThat(out.get(i)).as("byte %d", i).isEqualTo((byte) (payload[i] ^ keyBytes[i & 3]));
        }
    }

    @Test
    void everyFrameGetsAKeyOfItsOwn() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[64]);
        ByteBuf first = Masking.binaryFrame(ByteBufAllocator.DEFAULT, payload);
        ByteBuf second = Masking.binaryFrame(ByteBufAllocator.DEFAULT, payload);
        // header: 2 bytes (64 < 126), then the 4-byte key; a zero payload leaves the key in the bytes
        assertThat(first.getInt(2)).isNotEqualTo(second.getInt(2));
        assertThat(ByteBufUtil.getBytes(first, 6, 64)).isNotEqualTo(new byte[64]);
        first.release();
        second.release();
    }
}
