package app.parley.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
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
 * One HTTP/1.1 exchange written byte for byte on a socket of its own, so a test can send request
 * targets no HTTP client would (backslashes, a NUL, {@code ..}); https trusts any certificate.
 * Every read has a 5-second deadline.
 */
final class HttpWire {
    private static final int TIMEOUT_MILLIS = 5_000;

    /** A response head and body as bytes; header names lower-cased. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " (" + body.length + " bytes)";
        }
    }

    private HttpWire() {}

    /**
     * Sends {@code method target} with a {@code Host} naming {@code base} and {@code headerLines},
     * {@code Connection: close}, and reads the answer (no body for HEAD or 304).
     */
    static Response exchange(URI base, String method, String target, String... headerLines) throws IOException {
        StringBuilder text = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost())
                .append(':')
                .append(base.getPort())
                .append("\r\nConnection: close\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        text.append("\r\n");
        try (Socket socket = connect(base)) {
            socket.getOutputStream().write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(new java.io.BufferedInputStream(socket.getInputStream()), method.equals("HEAD"));
        }
    }

    private static Socket connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        if (!"https".equals(base.getScheme())) {
            return socket;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            SSLSocket tls =
                    (SSLSocket) context.getSocketFactory().createSocket(socket, base.getHost(), base.getPort(), true);
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(
                            header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(parts[1]);
        List<String> length = headers.get("content-length");
        int left = head || code == 304 || length == null ? 0 : Integer.parseInt(length.get(0));
        byte[] body = in.readNBytes(left);
        if (body.length != left) {
            throw new IOException("body cut short: " + body.length + " of " + left + " bytes");
        }
        return new Response(code, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed mid-line");
            }
            if (c != '\r') {
                out.write(c);
            }
            if (out.size() > 65_536) {
                throw new IOException("line too long");
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

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
}
