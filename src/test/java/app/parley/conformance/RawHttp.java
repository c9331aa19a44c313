package app.parley.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a plain {@link Socket}: one connection, one request at a time,
 * reused for the next request while the server keeps it alive. Unlike a library client it shows
 * what the conformance checks need to see: the connection a request went over, a response
 * status on a half-broken exchange, and a request cancelled by closing its socket
 * ({@link Pending#abort()}). Every read has a deadline.
 */
public final class RawHttp implements AutoCloseable {
    /** How long a connect may take. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** The default bound for one response. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** A complete response; header names are lower-cased. */
    public record Response(int status, Map<String, List<String>> headers, byte[] bodyBytes) {
        /** The body decoded as UTF-8. */
        public String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " \"" + Wire.printable(body()) + "\"";
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private DeadlineInput in;
    private OutputStream out;
    private boolean reusable;
    private Pending pending;
    private int connectionsOpened;

    private RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A client for the server at {@code base} (scheme http, host and port used; no connection yet). */
    public static RawHttp to(URI base) {
        int port = base.getPort() == -1 ? 80 : base.getPort();
        return new RawHttp(base.getHost(), port);
    }

    /** One request on a fresh connection, closed afterwards. */
    public static Response once(URI base, String method, String pathAndQuery, String body) throws IOException {
        try (RawHttp http = to(base)) {
            return http.request(method, pathAndQuery, body);
        }
    }

    /** Sends a request and waits at most {@link #DEFAULT_TIMEOUT} for its response. */
    public Response request(String method, String pathAndQuery, String body) throws IOException {
        return send(method, pathAndQuery, body).await(DEFAULT_TIMEOUT);
    }

    /**
     * Writes a request (reusing the kept-alive connection, else opening one) and returns at once;
     * read the response with {@link Pending#await(Duration)} or cancel it with {@link Pending#abort()}.
     * {@code body} null sends no body (a POST or PUT then says {@code Content-Length: 0}).
     */
    public Pending send(String method, String pathAndQuery, String body) throws IOException {
        if (pending != null && !pending.done) {
            throw new IllegalStateException("a request is still pending on this connection: " + pending.line);
        }
        if (socket == null || !reusable || socket.isClosed()) {
            connect();
        }
        reusable = false;
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(pathAndQuery)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\n")
                .append("Connection: keep-alive\r\n")
                .append("Accept: */*\r\n");
        if (content != null) {
            head.append("Content-Type: text/plain;charset=UTF-8\r\n");
        }
        if (content != null || !(method.equals("GET") || method.equals("HEAD"))) {
            head.append("Content-Length: ")
                    .append(content == null ? 0 : content.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (content != null) {
            out.write(content);
        }
        out.flush();
        pending = new Pending(method + " " + pathAndQuery, method.equals("HEAD"));
        return pending;
    }

    /** How many TCP connections this client has opened so far (1 while keep-alive works). */
    public int connectionsOpened() {
        return connectionsOpened;
    }

    /** Closes the connection (an in-flight request is cancelled). */
    @Override
    public void close() {
        reusable = false;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
        in = new DeadlineInput(socket);
        out = socket.getOutputStream();
        connectionsOpened++;
    }

    /** A request whose response has not been read yet. */
    public final class Pending {
        private final String line;
        private final boolean head;
        private boolean done;

        private Pending(String line, boolean head) {
            this.line = line;
            this.head = head;
        }

        /** Reads the response, failing with {@link SocketTimeoutException} after {@code timeout}. */
        public Response await(Duration timeout) throws IOException {
            if (done) {
                throw new IllegalStateException("response already read or request aborted: " + line);
            }
            in.deadline = System.nanoTime() + timeout.toNanos();
            in.what = "the response to " + line + " within " + timeout.toMillis() + " ms";
            try {
                Response response = readResponse(head);
                String connection = response.header("connection");
                reusable = !in.sawEof && (connection == null || !connection.equalsIgnoreCase("close"));
                if (!reusable) {
                    close();
                }
                return response;
            } catch (IOException e) {
                close();
                throw e;
            } finally {
                done = true;
            }
        }

        /** Cancels the request the way a browser's AbortController does: the connection is closed. */
        public void abort() {
            done = true;
            close();
        }
    }

    private Response readResponse(boolean head) throws IOException {
        String statusLine = readLine();
        while (statusLine.isEmpty()) {
            statusLine = readLine();
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: \"" + statusLine + "\"");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = readHeaders();
        if (status / 100 == 1) { // an interim response: the real one follows
            return readResponse(head);
        }
        byte[] body;
        String transferEncoding = first(headers, "transfer-encoding");
        String contentLength = first(headers, "content-length");
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked();
        } else if (contentLength != null) {
            body = readExactly(Integer.parseInt(contentLength.trim()));
        } else {
            body = in.readAllBytes();
            in.sawEof = true;
        }
        return new Response(status, Collections.unmodifiableMap(headers), body);
    }

    private Map<String, List<String>> readHeaders() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(
                                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                readHeaders(); // trailers, up to the empty line
                return body.toByteArray();
            }
            body.write(readExactly(size));
            readLine(); // CRLF after the chunk
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            in.sawEof = true;
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                in.sawEof = true;
                throw new EOFException(
                        "connection closed by the server" + (line.size() > 0 ? " mid-line" : " before a response"));
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 65_536) {
                throw new IOException("response line longer than 64 KiB");
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The socket's input, buffered, with every blocking read bounded by {@link #deadline}. */
    private static final class DeadlineInput extends FilterInputStream {
        private final Socket socket;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        long deadline = Long.MAX_VALUE;
        String what = "a response";
        boolean sawEof;

        DeadlineInput(Socket socket) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
        }

        private boolean fill() throws IOException {
            long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000;
            if (deadline != Long.MAX_VALUE && left <= 0) {
                throw new SocketTimeoutException("no complete answer: timed out waiting for " + what);
            }
            socket.setSoTimeout(deadline == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(left, Integer.MAX_VALUE)));
            int n;
            try {
                n = super.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("timed out waiting for " + what);
            }
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (position >= limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= limit && !fill()) {
                return -1;
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return limit - position;
        }
    }
}
