package app.parley.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket at the byte level, over a plain {@link Socket}: it writes frames exactly as told
 * (fragments, reserved bits, unmasked, invalid UTF-8, any opcode), which no real client will, and
 * reads every frame the server sends until the server ends the TCP connection, so a test sees
 * how many close frames came and with which codes. Every wait is bounded.
 */
public final class RawFrames implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame from the server. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code, or -1 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        @Override
        public String toString() {
            return opcode == CLOSE
                    ? "close " + closeCode() + " \"" + closeReason() + "\""
                    : "opcode " + opcode + (fin ? "" : " (not final)") + " \"" + Wire.printable(text()) + "\"";
        }
    }

    /** Everything the server sent until it ended the connection, and how it ended. */
    public record Ending(List<Frame> frames, String how) {
        public List<Frame> closeFrames() {
            return frames.stream().filter(f -> f.opcode() == CLOSE).toList();
        }

        @Override
        public String toString() {
            return frames + " then " + how;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawFrames(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code base} (http://host:port) and upgrades {@code pathAndQuery}; fails unless the answer is 101. */
    public static RawFrames open(URI base, String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) Wire.WAIT.toMillis());
        socket.setSoTimeout((int) Wire.WAIT.toMillis());
        RawFrames frames = new RawFrames(socket);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        frames.out.write(request.getBytes(StandardCharsets.US_ASCII));
        frames.out.flush();
        String head = frames.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade of " + pathAndQuery + " refused: "
                    + head.lines().findFirst().orElse(""));
        }
        return frames;
    }

    /** A frame with the given bits, masked with a random key when {@code masked}. */
    public static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 14);
        bytes.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0xF);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            bytes.write(mask | payload.length);
        } else if (payload.length < 65_536) {
            bytes.write(mask | 126);
            bytes.write(payload.length >>> 8);
            bytes.write(payload.length & 0xFF);
        } else {
            bytes.write(mask | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) (length >>> shift) & 0xFF);
            }
        }
        if (!masked) {
            bytes.writeBytes(payload);
            return bytes.toByteArray();
        }
        byte[] key = new byte[4];
        RANDOM.nextBytes(key);
        bytes.writeBytes(key);
        byte[] maskedPayload = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            maskedPayload[i] = (byte) (payload[i] ^ key[i & 3]);
        }
        bytes.writeBytes(maskedPayload);
        return bytes.toByteArray();
    }

    /** A final, masked frame: what a correct client sends. */
    public static byte[] frame(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes bytes as they are (one or more frames, or anything else). */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one correct, final, masked text frame. */
    public void sendText(String text) throws IOException {
        send(frame(TEXT, utf8(text)));
    }

    /** The next data frame that is not an Engine.IO ping ({@code 2}, answered with {@code 3}). */
    public Frame next() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame == null) {
                throw new EOFException("the server ended the connection while a frame was awaited");
            }
            if (frame.opcode() == TEXT && frame.text().equals(Wire.PING)) {
                sendText(Wire.PONG);
                continue;
            }
            return frame;
        }
    }

    /** The next text frame, skipping pings; fails on anything else. */
    public String nextText() throws IOException {
        Frame frame = next();
        if (frame.opcode() != TEXT) {
            throw new AssertionError("expected a text frame but got " + frame);
        }
        return frame.text();
    }

    /**
     * Reads every frame until the server ends the TCP connection, answering Engine.IO pings;
     * fails if it is still open after {@code timeout}. Does not answer a close frame, so the
     * server's own close is what ends it.
     */
    public Ending awaitEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Frame> frames = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "connection still open after " + timeout.toMillis() + " ms; frames so far: " + frames);
            }
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
            Frame frame;
            try {
                frame = read();
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return new Ending(frames, "ended abnormally: " + e);
            }
            if (frame == null) {
                return new Ending(frames, "closed by the server");
            }
            frames.add(frame);
            if (frame.opcode() == TEXT && frame.text().equals(Wire.PING)) {
                try {
                    sendText(Wire.PONG);
                } catch (IOException ignored) {
                    // the server is closing; the read says how
                }
            }
        }
    }

    /** One frame, or null when the server ended the connection cleanly between frames. */
    private Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = readByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = (long) readByte() << 8 | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte();
            }
        }
        if ((second & 0x80) != 0) {
            throw new IOException("the server sent a masked frame");
        }
        if (length > 2_000_000) {
            throw new IOException("a frame of " + length + " bytes from the server");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame((first & 0x80) != 0, first & 0xF, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame header");
        }
        return b;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4
                    && bytes[n - 4] == '\r'
                    && bytes[n - 3] == '\n'
                    && bytes[n - 2] == '\r'
                    && bytes[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
