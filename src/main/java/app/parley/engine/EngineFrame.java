package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One Engine.IO packet as it travels: text ({@code 4hello}, {@code 2}, ...) or a binary message.
 * On WebSocket each is one frame; on HTTP long-polling they are joined by the record separator
 * {@code \u001e}, binary ones as {@code b} plus base64.
 *
 * <p>Immutable and shared: a broadcast encodes its packet once and queues the same frame on every
 * recipient's session, so the text's UTF-8 bytes are computed once too, on first use.
 */
final class EngineFrame {
    static final char RECORD_SEPARATOR = '\u001e';
    static final EngineFrame PING = text("2");
    static final EngineFrame NOOP = text("6");
    static final EngineFrame CLOSE = text("1");

    private final String text;
    private final byte[] binary;
    /** UTF-8 of {@link #text}; a benign race may compute it twice, never differently. */
    private byte[] utf8;

    private EngineFrame(String text, byte[] binary) {
        this.text = text;
        this.binary = binary;
    }

    static EngineFrame text(String text) {
        return new EngineFrame(text, null);
    }

    static EngineFrame binary(byte[] bytes) {
        return new EngineFrame(null, bytes);
    }

    String text() {
        return text;
    }

    byte[] binary() {
        return binary;
    }

    boolean isBinary() {
        return binary != null;
    }

    /** What the packet weighs in a queue: its bytes, or its characters for text (close enough, and free). */
    int weight() {
        return binary != null ? binary.length : text.length();
    }

    /** A WebSocket frame of this packet, wrapping the shared bytes (nothing is copied here). */
    WebSocketFrame toWebSocket() {
        if (binary != null) {
            return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(binary));
        }
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    }

    /** This packet inside a polling payload. */
    String asPollingRecord() {
        return isBinary() ? "b" + Base64.getEncoder().encodeToString(binary) : text;
    }

    /** A polling payload of several packets. */
    static byte[] payload(Iterable<EngineFrame> frames) {
        StringBuilder out = new StringBuilder();
        for (EngineFrame frame : frames) {
            if (out.length() > 0) {
                out.append(RECORD_SEPARATOR);
            }
            out.append(frame.asPollingRecord());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return binary != null ? "binary(" + binary.length + " bytes)" : text;
    }
}
