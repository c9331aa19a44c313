package app.parley.join;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The client's WebSockets on Netty, behind the OkHttp interface engine.io-client asks for
 * ({@code IO.Options.webSocketFactory}). OkHttp masks every byte a client sends one at a time
 * (RFC 6455 makes a client mask), which made its writer thread the ceiling of a file upload;
 * Netty masks four bytes at a time (docs/PERFORMANCE.md, "What limits a file transfer"). Polling
 * stays on OkHttp. The JDK's {@code java.net.http} client was tried first and left: a write that
 * met a reset connection completed as sent and the connection was never reported lost.
 *
 * <p>What OkHttp does that the library relies on, this does too: frames go out in the order
 * sent, also those sent before the handshake ended; at most {@link #QUEUE_LIMIT} bytes wait, past
 * which the socket closes with 1001 as OkHttp's does; the server's close frame is answered (so no
 * {@code CloseReplies} is needed here) and reported as {@code onClosing}, then {@code onClosed};
 * a refused upgrade fails with the server's status in the response; a connection lost without a
 * close frame fails. One thread serves every connection of a factory; {@link #close} stops it.
 */
final class NettyWebSockets implements WebSocket.Factory, AutoCloseable {
    /** OkHttp's limit of bytes waiting to be sent before a socket gives up. */
    static final long QUEUE_LIMIT = 16L * 1024 * 1024;

    /** The largest message taken from a server; OkHttp took any, but a server's is bounded too. */
    static final int MAX_MESSAGE = 64 * 1024 * 1024;

    /** How long a closing socket waits for the other end's close frame before it drops the connection. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private static final int NORMAL = 1000;
    private static final int GOING_AWAY = 1001;
    private static final int NO_STATUS = 1005;

    /** Headers the handshake sets itself. */
    private static final Set<String> THE_HANDSHAKES = Set.of("host", "upgrade", "connection", "content-length");

    private final SslContext tls;
    private final int connectTimeoutMillis;
    private EventLoopGroup loop; // guarded by this; made at the first connection
    private boolean closed; // guarded by this

    /** @param trust for {@code wss}, or null when the address is plain {@code ws} */
    NettyWebSockets(TrustOnFirstUse trust, Duration connectTimeout) {
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        try {
            this.tls = trust == null
                    ? null
                    : SslContextBuilder.forClient().trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }

    private synchronized EventLoopGroup loop() {
        if (closed) {
            throw new IllegalStateException("this connection's WebSockets are closed");
        }
        if (loop == null) {
            loop = new NioEventLoopGroup(1, new DefaultThreadFactory("parley-websocket", true));
        }
        return loop;
    }

    /** Stops the thread; connections still open are cut. */
    @Override
    public synchronized void close() {
        closed = true;
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        boolean secure = request.url().isHttps();
        URI uri = URI.create(request.url().toString().replaceFirst("^http", "ws")); // OkHttp keeps ws:// as http://
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String name : request.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!THE_HANDSHAKES.contains(lower) && !lower.startsWith("sec-websocket-")) {
                headers.add(name, request.headers(name));
            }
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri,
                WebSocketVersion.V13,
                null,
                false,
                headers,
                MAX_MESSAGE,
                true,
                false,
                CLOSE_WAIT_MILLIS,
                false,
                false);
        Socket socket = new Socket(request, listener, handshaker, connectTimeoutMillis);
        String host = request.url().host();
        int port = request.url().port();
        try {
            new Bootstrap()
                    .group(loop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (secure) {
                                channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                            }
                            channel.pipeline()
                                    .addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), socket);
                        }
                    })
                    .connect(host, port)
                    .addListener((ChannelFuture connected) -> {
                        socket.connecting(connected.channel());
                        if (!connected.isSuccess()) {
                            socket.failed(connected.cause(), null);
                        }
                    });
        } catch (RuntimeException e) {
            socket.failed(e, null);
        }
        return socket;
    }

    /** One connection: OkHttp's {@link WebSocket} outside, Netty's handler inside. */
    private static final class Socket extends SimpleChannelInboundHandler<Object> implements WebSocket {
        private final Request request;
        private final WebSocketListener listener;
        private final WebSocketClientHandshaker handshaker;
        /** How long the server has to answer the upgrade, from the moment the connection is made. */
        private final long handshakeMillis;
        /** The connection while the handshake is on its way (then {@link #channel}); guarded by {@code this}. */
        private Channel connecting;
        /** Frames sent before the handshake ended; guarded by {@code this}. */
        private final List<Outgoing> early = new ArrayList<>();

        private Channel channel; // guarded by this: set once the handshake ended
        private long queuedBytes; // guarded by this
        private boolean closeSent; // guarded by this: no frame is taken after close()
        private boolean ended; // guarded by this: the listener has had its last call
        private int closeCode = NO_STATUS; // guarded by this: the code of the close frame sent
        private String closeReason = ""; // guarded by this

        Socket(
                Request request,
                WebSocketListener listener,
                WebSocketClientHandshaker handshaker,
                long handshakeMillis) {
            this.request = request;
            this.listener = listener;
            this.handshaker = handshaker;
            this.handshakeMillis = handshakeMillis;
        }

        void connecting(Channel made) {
            boolean over;
            synchronized (this) {
                connecting = made;
                over = ended;
            }
            if (over) {
                made.close(); // closed or cancelled while connecting
            }
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
            return enqueue(new TextWebSocketFrame(text), (long) text.length() * 3);
        }

        @Override
        public boolean send(ByteString bytes) {
            // read-only: Netty masks as it copies into the frame it writes
            return enqueue(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes.asByteBuffer())), bytes.size());
        }

        @Override
        public boolean close(int code, String reason) {
            Channel unopened;
            synchronized (this) {
                if (closeSent || ended) {
                    return false;
                }
                closeSent = true;
                closeCode = code;
                closeReason = reason == null ? "" : reason;
                if (channel != null) {
                    write(new Outgoing(new CloseWebSocketFrame(code, closeReason), 0));
                    return true;
                }
                unopened = connecting;
            }
            // Not open yet: nothing to say goodbye to, so the connection just goes.
            String why = closeReason;
            end(() -> listener.onClosed(this, code, why));
            if (unopened != null) {
                unopened.close();
            }
            return true;
        }

        @Override
        public void cancel() {
            Channel open;
            synchronized (this) {
                closeSent = true;
                early.forEach(Outgoing::release);
                early.clear();
                open = channel != null ? channel : connecting;
            }
            end(() -> listener.onFailure(this, new IOException("Canceled"), null));
            if (open != null) {
                open.close();
            }
        }

        private boolean enqueue(WebSocketFrame frame, long size) {
            synchronized (this) {
                if (closeSent || ended) {
                    frame.release();
                    return false;
                }
                if (queuedBytes + size <= QUEUE_LIMIT) {
                    queuedBytes += size;
                    write(new Outgoing(frame, size));
                    return true;
                }
            }
            frame.release();
            close(GOING_AWAY, null);
            return false;
        }

        /**
         * Under the lock: puts {@code frame} after every frame before it. Each goes through the
         * connection's thread in its own task, in the order of these calls, whichever thread makes
         * them (a write from that thread itself would otherwise overtake those still queued).
         */
        private void write(Outgoing frame) {
            Channel open = channel;
            if (open == null) {
                early.add(frame);
                return;
            }
            open.eventLoop().execute(() -> writeNow(open, frame));
        }

        private void writeNow(Channel open, Outgoing frame) {
            open.writeAndFlush(frame.frame()).addListener(written -> {
                synchronized (this) {
                    queuedBytes -= frame.size();
                }
                if (frame.frame() instanceof CloseWebSocketFrame && written.isSuccess()) {
                    // the other end has this long to answer before the connection is dropped
                    open.eventLoop().schedule(() -> open.close(), CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            });
        }

        // ---- Netty's side ----

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            handshaker.handshake(ctx.channel());
            ctx.executor()
                    .schedule(
                            () -> {
                                if (!handshaker.isHandshakeComplete()) {
                                    failed(
                                            new java.net.SocketTimeoutException("the server did not answer the"
                                                    + " WebSocket upgrade within " + handshakeMillis + " ms"),
                                            null);
                                    ctx.close();
                                }
                            },
                            handshakeMillis,
                            TimeUnit.MILLISECONDS);
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) throws Exception {
            synchronized (this) {
                if (ended) { // cancelled or failed: the listener has had its last call
                    ctx.close();
                    return;
                }
            }
            if (!handshaker.isHandshakeComplete()) {
                FullHttpResponse response = (FullHttpResponse) message;
                int code = response.status().code();
                if (code != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    failed(
                            new ProtocolException("Expected HTTP 101 response but was '" + code + " "
                                    + response.status().reasonPhrase() + "'"),
                            response(code, response.status().reasonPhrase()));
                    ctx.close();
                    return;
                }
                handshaker.finishHandshake(ctx.channel(), response);
                // Messages sent in several frames come whole, as OkHttp gave them.
                ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
                opened(ctx.channel());
                return;
            }
            if (message instanceof TextWebSocketFrame text) {
                listener.onMessage(this, text.text());
            } else if (message instanceof BinaryWebSocketFrame binary) {
                listener.onMessage(this, ByteString.of(binary.content().nioBuffer()));
            } else if (message instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (message instanceof CloseWebSocketFrame close) {
                closedByPeer(ctx, close);
            }
        }

        private void opened(Channel open) {
            listener.onOpen(this, response(101, "Switching Protocols"));
            synchronized (this) {
                channel = open;
                for (Outgoing frame : early) {
                    write(frame);
                }
                early.clear();
            }
        }

        private void closedByPeer(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? NO_STATUS : close.statusCode();
            String reason = close.reasonText();
            boolean answer;
            synchronized (this) {
                answer = !closeSent;
                closeSent = true;
            }
            listener.onClosing(this, code, reason);
            if (answer) {
                // The server's code echoed, as RFC 6455 (5.5.1) has it, unless it is one only a
                // receiver may report (1005, 1006, 1015) or none.
                int echo = (code >= 1000 && code <= 1003)
                                || (code >= 1007 && code <= 1014)
                                || (code >= 3000 && code <= 4999)
                        ? code
                        : NORMAL;
                ctx.writeAndFlush(new CloseWebSocketFrame(echo, "")).addListener(done -> ctx.close());
            } else {
                ctx.close();
            }
            end(() -> listener.onClosed(this, code, reason));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            int code;
            String reason;
            boolean sentClose;
            synchronized (this) {
                sentClose = closeSent && closeCode != NO_STATUS;
                code = closeCode;
                reason = closeReason;
            }
            if (sentClose && handshaker.isHandshakeComplete()) {
                // we closed and the other end did not answer in time: done all the same
                end(() -> listener.onClosed(this, code, reason));
            } else {
                failed(new EOFException("the connection was closed without a close frame"), null);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(cause, null);
            ctx.close();
        }

        void failed(Throwable failure, Response response) {
            end(() -> listener.onFailure(this, failure, response));
        }

        /** Runs {@code last}, the listener's last call, unless it had one. */
        private void end(Runnable last) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                closeSent = true;
                early.forEach(Outgoing::release);
                early.clear();
            }
            last.run();
        }

        private Response response(int code, String message) {
            return new Response.Builder()
                    .request(request)
                    .protocol(Protocol.HTTP_1_1)
                    .code(code)
                    .message(message)
                    .headers(Headers.of())
                    .build();
        }
    }

    /** A frame on its way, and what it counts against {@link #QUEUE_LIMIT}. */
    private record Outgoing(WebSocketFrame frame, long size) {
        void release() {
            frame.release();
        }
    }
}
