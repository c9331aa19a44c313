package app.parley.engine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One Engine.IO packet as it travels: text ({@code 4hello}, {@code 2}, ...) or a binary message.
 * On WebSocket each is one frame; on HTTP long-polling they are joined by the record separator
 * {@code \u001e}, binary ones as {@code b} plus base64.
 */
record EngineFrame(String text, byte[] binary) {
    static final char RECORD_SEPARATOR = '\u001e';
    static final EngineFrame PING = text("2");
    static final EngineFrame NOOP = text("6");
    static final EngineFrame CLOSE = text("1");

    static EngineFrame text(String text) {
        return new EngineFrame(text, null);
    }

    static EngineFrame binary(byte[] bytes) {
        return new EngineFrame(null, bytes);
    }

    boolean isBinary() {
        return binary != null;
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
}
