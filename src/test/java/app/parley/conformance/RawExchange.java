package app.parley.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What {@link RawHttp} will not send, on a plain socket of its own: any header (an {@code Origin},
 * a {@code Host} of the test's choosing, kilobytes of padding), half a request, or a WebSocket
 * upgrade whose {@code 101} is read as a plain response head. Every read has a deadline.
 */
final class RawExchange implements AutoCloseable {
    /** The WebSocket upgrade headers of RFC 6455's example. */
    static final String[] UPGRADE = {
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
    };

    /** A response head, and its body when it declared a length; header names lower-cased. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " \"" + Wire.printable(body) + "\"";
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawExchange(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    /** A new connection to {@code base}'s host and port; over TLS, trusting any certificate, for https. */
    static RawExchange connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 3_000);
        if ("https".equalsIgnoreCase(base.getScheme())) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                SSLSocket tls = (SSLSocket)
                        context.getSocketFactory().createSocket(socket, base.getHost(), base.getPort(), true);
                tls.setSoTimeout(3_000);
                tls.startHandshake();
                socket = tls;
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        return new RawExchange(socket);
    }

    /** {@code method target HTTP/1.1}, then each header line, then the blank line. */
    static String request(String method, String target, String... headerLines) {
        StringBuilder text =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    /** Writes {@code text} as it is (ISO-8859-1). */
    RawExchange send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response head (and its body, if it has a {@code Content-Length}) within {@code timeout}. */
    Response response(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = line(deadline);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: \"" + Wire.printable(status) + "\"");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(deadline); !header.isEmpty(); header = line(deadline)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(
                            header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        List<String> length = headers.get("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int left = length == null ? 0 : Integer.parseInt(length.get(0)); left > 0; left--) {
            body.write(read(deadline));
        }
        return new Response(Integer.parseInt(parts[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Whether the server ends the connection within {@code timeout}: an end of stream or a reset
     * while reading (and discarding) whatever else it sends.
     */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (readOrEnd(deadline) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The test's own host's self-signed certificate is what it means to reach. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private String line(long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = read(deadline); b != '\n'; b = read(deadline)) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int read(long deadline) throws IOException {
        int b = readOrEnd(deadline);
        if (b < 0) {
            throw new IOException("connection closed by the server mid-response");
        }
        return b;
    }

    private int readOrEnd(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        return in.read();
    }
}
