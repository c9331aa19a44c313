package app.parley.join;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The client's WebSockets on the JDK's own ({@code java.net.http}), behind the OkHttp interface
 * engine.io-client asks for. OkHttp masks every byte a client sends one at a time (RFC 6455 makes
 * a client mask), which made its writer thread the ceiling of a file upload; the JDK masks eight
 * bytes at a time (docs/PERFORMANCE.md, "What limits a file transfer"). Polling stays on OkHttp.
 *
 * <p>What OkHttp did that the library relies on, this does too: one frame at a time in the order
 * sent, a bounded queue ({@link #QUEUE_LIMIT}, past which the socket closes as OkHttp's does),
 * {@code onClosed} after the server's close frame (which the JDK answers by itself, so no
 * {@code CloseReplies} is needed here), {@code onFailure} with the handshake's response when the
 * server refused the upgrade.
 */
final class JdkWebSockets implements WebSocket.Factory {
    /** OkHttp's limit of bytes waiting to be sent before a socket gives up. */
    static final long QUEUE_LIMIT = 16L * 1024 * 1024;

    /** Headers the JDK sets itself and refuses from a caller. */
    private static final Set<String> THE_JDKS =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "user-agent");

    /** How long a closing socket waits for the server's close frame before it drops the connection. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final int GOING_AWAY = 1001;

    static {
        // The JDK reads a connection 16 KiB at a time and hands a message over in as many parts; a
        // 256 KiB file chunk then costs 16 turns of its reader. With 64 KiB (read once, when its
        // first client starts) a download ran at 1.2-1.5x the speed. A property set on the
        // command line stays as it was set.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(64 * 1024));
        }
    }

    private final HttpClient http;

    /** @param trust for {@code wss}, or null for the JDK's default trust */
    JdkWebSockets(TrustOnFirstUse trust, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies); // as OkHttp: the system's proxy settings
        }
        if (trust != null) {
            builder.sslContext(tls(trust));
        }
        this.http = builder.build();
    }

    @Override
    public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        Socket socket = new Socket(request, listener);
        URI uri = URI.create(request.url().toString().replaceFirst("^http", "ws")); // OkHttp keeps ws:// as http://
        java.net.http.WebSocket.Builder builder = http.newWebSocketBuilder();
        for (String name : request.headers().names()) {
            if (!THE_JDKS.contains(name.toLowerCase(Locale.ROOT))
                    && !name.toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                for (String value : request.headers(name)) {
                    builder.header(name, value);
                }
            }
        }
        builder.buildAsync(uri, socket).whenComplete((open, failure) -> {
            if (failure != null) {
                socket.failed(failure);
            } else {
                socket.opened(open);
            }
        });
        return socket;
    }

    private static SSLContext tls(TrustOnFirstUse trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }

    /** One connection: OkHttp's {@link WebSocket} outside, the JDK's listener inside. */
    private static final class Socket implements WebSocket, java.net.http.WebSocket.Listener {
        private final Request request;
        private final WebSocketListener listener;
        /** Frames waiting for the one before them; guarded by {@code this}. */
        private final ArrayDeque<Object> queue = new ArrayDeque<>();

        private java.net.http.WebSocket jdk; // guarded by this
        private long queuedBytes; // guarded by this
        private boolean sending; // guarded by this
        private boolean closing; // guarded by this: no frame is taken after close()
        private boolean ended; // guarded by this: the listener has had its last call

        /** A binary message arriving in parts (the JDK hands over what each read brought). */
        private byte[] binaryParts;

        private int binaryLength;

        private StringBuilder textParts;

        Socket(Request request, WebSocketListener listener) {
            this.request = request;
            this.listener = listener;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public synchronized long queueSize() {
            return queuedBytes;
        }

        @Override
        public boolean send(String text) {
            return enqueue(text, (long) text.length() * 3);
        }

        @Override
        public boolean send(ByteString bytes) {
            return enqueue(bytes, bytes.size());
        }

        @Override
        public boolean close(int code, String reason) {
            synchronized (this) {
                if (closing || ended) {
                    return false;
                }
                closing = true;
                queue.add(new Close(code, reason == null ? "" : reason));
            }
            sendNext();
            return true;
        }

        @Override
        public void cancel() {
            java.net.http.WebSocket open;
            synchronized (this) {
                closing = true;
                queue.clear();
                queuedBytes = 0;
                open = jdk;
            }
            if (open != null) {
                open.abort();
            }
            end(() -> listener.onFailure(this, new java.io.IOException("Canceled"), null));
        }

        private boolean enqueue(Object frame, long size) {
            boolean full;
            synchronized (this) {
                if (closing || ended) {
                    return false;
                }
                full = queuedBytes + size > QUEUE_LIMIT;
                if (!full) {
                    queuedBytes += size;
                    queue.add(frame);
                }
            }
            if (full) {
                close(GOING_AWAY, null);
                return false;
            }
            sendNext();
            return true;
        }

        /** Sends the next frame unless one is on its way or the socket is not open yet. */
        private void sendNext() {
            java.net.http.WebSocket open;
            Object frame;
            synchronized (this) {
                if (sending || jdk == null || queue.isEmpty() || ended) {
                    return;
                }
                sending = true;
                open = jdk;
                frame = queue.poll();
            }
            CompletableFuture<java.net.http.WebSocket> sent;
            long size;
            if (frame instanceof String text) {
                size = (long) text.length() * 3;
                sent = open.sendText(text, true);
            } else if (frame instanceof ByteString bytes) {
                size = bytes.size();
                // read-only: the JDK masks as it copies into its own buffer
                sent = open.sendBinary(bytes.asByteBuffer(), true);
            } else {
                Close close = (Close) frame;
                size = 0;
                sent = open.sendClose(close.code(), close.reason());
                sent.thenRun(() -> CompletableFuture.delayedExecutor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> {
                            if (!open.isInputClosed()) {
                                open.abort();
                                end(() -> listener.onClosed(this, close.code(), close.reason()));
                            }
                        }));
            }
            sent.whenComplete((ignored, failure) -> {
                synchronized (this) {
                    sending = false;
                    queuedBytes -= size;
                }
                if (failure != null) {
                    failed(failure);
                } else {
                    sendNext();
                }
            });
        }

        void opened(java.net.http.WebSocket open) {
            synchronized (this) {
                if (closing && queue.isEmpty()) {
                    open.abort(); // cancelled while the handshake was on its way
                    return;
                }
                jdk = open;
            }
            Response response = new Response.Builder()
                    .request(request)
                    .protocol(Protocol.HTTP_1_1)
                    .code(101)
                    .message("Switching Protocols")
                    .headers(Headers.of())
                    .build();
            listener.onOpen(this, response);
            open.request(1);
            sendNext();
        }

        void failed(Throwable failure) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            Response response = null;
            if (cause instanceof WebSocketHandshakeException refused) {
                response = new Response.Builder()
                        .request(request)
                        .protocol(Protocol.HTTP_1_1)
                        .code(refused.getResponse().statusCode())
                        .message("")
                        .build();
            }
            java.net.http.WebSocket open;
            synchronized (this) {
                open = jdk;
            }
            if (open != null) {
                open.abort();
            }
            Response refusal = response;
            end(() -> listener.onFailure(this, cause, refusal));
        }

        /** Runs {@code last}, the listener's last call, unless it had one. */
        private void end(Runnable last) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                closing = true;
                queue.clear();
            }
            last.run();
        }

        // ---- the JDK's listener ----

        @Override
        public void onOpen(java.net.http.WebSocket webSocket) {
            // Nothing is read before opened() has told the library: its onOpen comes first.
        }

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            if (!last || textParts != null) {
                if (textParts == null) {
                    textParts = new StringBuilder();
                }
                textParts.append(data);
            }
            if (last) {
                String text = textParts != null ? textParts.toString() : data.toString();
                textParts = null;
                listener.onMessage(this, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last && binaryLength == 0) {
                listener.onMessage(this, ByteString.of(data));
            } else {
                int length = data.remaining();
                if (binaryParts == null || binaryLength + length > binaryParts.length) {
                    binaryParts = Arrays.copyOf(
                            binaryParts == null ? new byte[0] : binaryParts,
                            Math.max(binaryLength + length, Math.max(2 * binaryLength, 4 * length)));
                }
                data.get(binaryParts, binaryLength, length);
                binaryLength += length;
                if (last) {
                    ByteString whole = ByteString.of(binaryParts, 0, binaryLength);
                    binaryParts = null;
                    binaryLength = 0;
                    listener.onMessage(this, whole);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            // The JDK answers the server's close frame once this returns.
            listener.onClosing(this, statusCode, reason);
            end(() -> listener.onClosed(this, statusCode, reason));
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            failed(error);
        }
    }

    private record Close(int code, String reason) {}
}
