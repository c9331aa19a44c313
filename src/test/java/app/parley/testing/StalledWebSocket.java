package app.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that opens an Engine.IO session, sends what it is told, and then never reads
 * again: a peer that lets the host's writes pile up. Its receive buffer is kept small, so what
 * the host sends waits on the host's side rather than in this machine's kernel.
 */
public final class StalledWebSocket implements AutoCloseable {
    private final Socket socket;

    private StalledWebSocket(Socket socket) {
        this.socket = socket;
    }

    /** Connects from {@code fromAddress} (any 127.x.y.z), upgrades, reads the open packet, sends {@code texts}. */
    public static StalledWebSocket open(String fromAddress, int port, String... texts) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.bind(new InetSocketAddress(fromAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(key) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String headers = readHeaders(in);
        if (!headers.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + headers);
        }
        readFrame(in); // the open packet
        for (String text : texts) {
            out.write(maskedText(text));
        }
        out.flush();
        return new StalledWebSocket(socket);
    }

    /**
     * Sends an Engine.IO pong without reading the ping it answers: the host's ping timeout then
     * never ends the session, so only its own judgement of a stalled reader can.
     */
    public void pong() throws IOException {
        socket.getOutputStream().write(maskedText("3"));
        socket.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.length() < 4 || !seen.substring(seen.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade: " + seen);
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    private static void readFrame(InputStream in) throws IOException {
        in.read(); // FIN and opcode
        int length = in.read() & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        }
        in.readNBytes(length);
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
