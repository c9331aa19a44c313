package app.parley.testing;

import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * A tutorial-style peer: the real socket.io-client-java with no Parley code in between, so
 * tests see exactly what goes over the wire.
 */
public final class RawClient implements AutoCloseable {
    public static final long WAIT_SECONDS = 10;

    private final OkHttpClient http =
            new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES).build();
    private final Socket socket;
    private final BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private final CompletableFuture<Object> connectError = new CompletableFuture<>();

    public RawClient(URI uri, String[] transports, Map<String, List<String>> headers) {
        this(uri, transports, headers, null, null);
    }

    /**
     * @param auth       the CONNECT's {@code auth} payload, or null for none
     * @param fromAddress the local address to connect from (any 127.x.y.z is loopback), or null
     */
    public RawClient(
            URI uri,
            String[] transports,
            Map<String, List<String>> headers,
            Map<String, Object> auth,
            String fromAddress) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(transports)
                .setExtraHeaders(headers)
                .setTimeout(5_000)
                .setAuth(auth == null ? null : stringKeys(auth))
                .build();
        OkHttpClient client = fromAddress == null
                ? http
                : http.newBuilder()
                        .socketFactory(new BoundSocketFactory(fromAddress))
                        .build();
        options.callFactory = client;
        options.webSocketFactory = client;
        socket = IO.socket(uri, options);
        socket.on(Socket.EVENT_CONNECT, args -> connected.complete(socket.id()));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectError.complete(args.length > 0 ? args[0] : null));
        socket.on("receive-message", received::add);
    }

    /** socket.io-client-java's auth is a map of strings to JSON values; nested maps become JSON objects. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> stringKeys(Map<String, Object> auth) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        auth.forEach((key, value) ->
                json.put(key, value instanceof Map<?, ?> map ? new org.json.JSONObject(map) : value));
        return (Map<String, String>) (Map<String, ?>) json;
    }

    /** Connects from one local address, so a test can play several machines on loopback. */
    private static final class BoundSocketFactory extends javax.net.SocketFactory {
        private final String address;

        BoundSocketFactory(String address) {
            this.address = address;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket();
            socket.bind(new java.net.InetSocketAddress(address, 0));
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
            throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) {
            throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(
                java.net.InetAddress host, int port, java.net.InetAddress local, int localPort) {
            throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
        }
    }

    public static RawClient connect(int port) {
        return connect(port, new String[] {"polling", "websocket"}, Map.of());
    }

    public static RawClient connect(int port, String[] transports, Map<String, List<String>> headers) {
        RawClient client = new RawClient(URI.create("http://127.0.0.1:" + port), transports, headers);
        client.socket.connect();
        return client;
    }

    public String awaitId() throws Exception {
        return connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public Object awaitConnectError() throws Exception {
        return connectError.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public Socket socket() {
        return socket;
    }

    /** Emits and waits for the ack's arguments. */
    public Object[] request(String event, Object... args) throws Exception {
        CompletableFuture<Object[]> ack = new CompletableFuture<>();
        socket.emit(event, args, ack::complete);
        return ack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The next receive-message's arguments, or null if none arrives within the wait. */
    public Object[] nextMessage(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    public Object[] nextMessage() throws InterruptedException {
        return nextMessage(WAIT_SECONDS * 1000);
    }

    @Override
    public void close() {
        socket.off();
        socket.close();
        // Closing sends packets (41, and 1 on polling) through the HTTP client's threads: let them
        // go out before those threads stop, or the host only learns of it at the ping timeout.
        java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
                .execute(() -> {
                    http.dispatcher().executorService().shutdown();
                    http.connectionPool().evictAll();
                });
    }
}
