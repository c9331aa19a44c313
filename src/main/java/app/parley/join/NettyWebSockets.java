package app.parley.join;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.ProxySelector;
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
 * Netty masks eight at a time, and {@link Masking} masks binary frames faster still
 * (docs/PERFORMANCE.md, "What limits a file transfer"). Polling
 * stays on OkHttp. The JDK's {@code java.net.http} client was tried first and left: a write that
 * met a reset connection completed as sent and the connection was never reported lost.
 *
 * <p>What OkHttp does that the library relies on, this does too: frames go out in the order
 * sent, also those sent before the handshake ended; at most {@link #QUEUE_LIMIT} bytes wait, past
 * which the socket closes with 1001 as OkHttp's does; the server's close frame is answered after
 * what was queued (so no {@code CloseReplies} is needed here) and reported as {@code onClosing},
 * then {@code onClosed}; a close code only a receiver may report is refused; a refused upgrade
 * fails with the server's status in the response; a connection lost without a close frame, or a
 * close frame that does not come within 5 s of ours, fails. Every listener call is made on the
 * connection's thread, one thread for every connection of a factory; {@link #close} stops it.
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
    /** Which proxy, if any, a connection goes through (the system's: {@code https.proxyHost} and the like). */
    private final ProxySelector proxies;

    private EventLoopGroup loop; // guarded by this; made at the first connection
    private boolean closed; // guarded by this

    /** @param trust for {@code wss}, or null when the address is plain {@code ws} */
    NettyWebSockets(TrustOnFirstUse trust, Duration connectTimeout) {
        this(trust, connectTimeout, ProxySelector.getDefault());
    }

    /** @param proxies which proxy a connection goes through, as OkHttp asks its selector; null: none */
    NettyWebSockets(TrustOnFirstUse trust, Duration connectTimeout, ProxySelector proxies) {
        this.proxies = proxies;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        try {
            // The JDK's TLS, and no host name check by the TLS stack (Netty 4.2 would turn one on):
            // the pinned fingerprint decides (TrustOnFirstUse).
            this.tls = trust == null
                    ? null
                    : SslContextBuilder.forClient()
                            .sslProvider(SslProvider.JDK)
                            .endpointIdentificationAlgorithm(null)
                            .trustManager(trust)
                            .build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }

    /** The thread of a new connection: every call to its listener is made there. */
    private synchronized EventLoop loop() {
        if (closed) {
            throw new IllegalStateException("this connection's WebSockets are closed");
        }
        if (loop == null) {
            loop = new NioEventLoopGroup(1, new DefaultThreadFactory("parley-websocket", true));
        }
        return loop.next();
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
        EventLoop thread;
        try {
            thread = loop();
        } catch (IllegalStateException shut) {
            // this connection has ended: the socket fails, as a call on a shut-down OkHttp client does
            Socket refused = new Socket(request, listener, GlobalEventExecutor.INSTANCE, connectTimeoutMillis);
            refused.failed(new IOException(shut.getMessage()), null);
            return refused;
        }
        Socket socket = new Socket(request, listener, thread, connectTimeoutMillis);
        try {
            boolean secure = request.url().isHttps();
            // OkHttp keeps ws:// as http://
            URI uri = URI.create(request.url().toString().replaceFirst("^http", "ws"));
            HttpHeaders headers = new DefaultHttpHeaders();
            for (String name : request.headers().names()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!THE_HANDSHAKES.contains(lower) && !lower.startsWith("sec-websocket-")) {
                    headers.add(name, request.headers(name));
                }
            }
            socket.handshaker = WebSocketClientHandshakerFactory.newHandshaker(
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
            String host = request.url().host();
            int port = request.url().port();
            Proxy proxy = proxyFor(request.url().uri());
            Bootstrap bootstrap = new Bootstrap();
            if (proxy != null) {
                // The proxy finds the host by its name: this side may not even resolve it.
                bootstrap.resolver(NoopAddressResolverGroup.INSTANCE);
            }
            bootstrap
                    .group(thread)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (proxy != null) {
                                // first: TLS and HTTP go through its tunnel
                                channel.pipeline().addLast(tunnel(proxy));
                            }
                            if (secure) {
                                channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                            }
                            channel.pipeline()
                                    .addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), socket);
                        }
                    })
                    .connect(InetSocketAddress.createUnresolved(host, port))
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

    /**
     * The proxy to go through for {@code uri} ({@code http://} or {@code https://}, as OkHttp
     * asks), or null to connect directly: the selector's first choice, as OkHttp's first try.
     */
    private Proxy proxyFor(URI uri) {
        if (proxies == null) {
            return null;
        }
        List<Proxy> choices = proxies.select(uri);
        Proxy first = choices == null || choices.isEmpty() ? Proxy.NO_PROXY : choices.get(0);
        return first.type() == Proxy.Type.DIRECT || !(first.address() instanceof InetSocketAddress) ? null : first;
    }

    /**
     * The tunnel through {@code proxy}: an HTTP proxy is asked to {@code CONNECT}, a SOCKS one is
     * spoken SOCKS5 to. Made on the connection's thread, where the proxy's name is looked up (a
     * selector names its proxy unresolved), as the host's name is without one.
     */
    private ProxyHandler tunnel(Proxy proxy) {
        InetSocketAddress named = (InetSocketAddress) proxy.address();
        InetSocketAddress address =
                named.isUnresolved() ? new InetSocketAddress(named.getHostString(), named.getPort()) : named;
        ProxyHandler handler =
                proxy.type() == Proxy.Type.SOCKS ? new Socks5ProxyHandler(address) : new HttpProxyHandler(address);
        handler.setConnectTimeoutMillis(connectTimeoutMillis);
        return handler;
    }

    /**
     * One connection: OkHttp's {@link WebSocket} outside, Netty's handler inside. Every call to
     * the listener is made on the connection's thread ({@link #thread}), so they come in order and
     * none follows the last; callers on other threads ({@link #close}, {@link #cancel}) hand theirs
     * over to it.
     */
    private static final class Socket extends SimpleChannelInboundHandler<Object> implements WebSocket {
        private final Request request;
        private final WebSocketListener listener;
        private final EventExecutor thread;
        /** How long the server has to answer the upgrade, from the moment the connection is made. */
        private final long handshakeMillis;
        /** Set before the connection is made. */
        private WebSocketClientHandshaker handshaker;
        /** Frames sent before the handshake ended; guarded by {@code this}. */
        private final List<Outgoing> early = new ArrayList<>();

        private Channel connecting; // guarded by this: the connection while its handshake is on its way
        private Channel channel; // guarded by this: set once the handshake ended
        private long queuedBytes; // guarded by this
        private boolean closeSent; // guarded by this: no frame is taken after close()
        private boolean ended; // guarded by this: the listener has had its last call
        private int closeCode = NO_STATUS; // guarded by this: the code of the close frame sent
        private String closeReason = ""; // guarded by this
        private volatile boolean closeWritten; // our close frame is on the wire

        Socket(Request request, WebSocketListener listener, EventExecutor thread, long handshakeMillis) {
            this.request = request;
            this.listener = listener;
            this.thread = thread;
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
            TextWebSocketFrame frame = new TextWebSocketFrame(text);
            return enqueue(frame, frame.content().readableBytes());
        }

        @Override
        public boolean send(ByteString bytes) {
            // read-only: Masking copies it, masked, into the frame it writes
            return enqueue(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes.asByteBuffer())), bytes.size());
        }

        @Override
        public boolean close(int code, String reason) {
            String why = reason == null ? "" : reason;
            // Checked first, as OkHttp does: a code only a receiver may report, or a reason over a
            // control frame's 123 bytes, is the caller's mistake.
            if (code < 1000 || code >= 5000 || (code >= 1004 && code <= 1006) || (code >= 1015 && code <= 2999)) {
                throw new IllegalArgumentException("not a close code one may send: " + code);
            }
            if (why.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
                throw new IllegalArgumentException("a close reason is at most 123 bytes: " + why);
            }
            Channel unopened;
            synchronized (this) {
                if (closeSent || ended) {
                    return false;
                }
                closeSent = true;
                closeCode = code;
                closeReason = why;
                if (channel != null) {
                    write(new Outgoing(new CloseWebSocketFrame(code, why), 0));
                    return true;
                }
                unopened = connecting;
            }
            // Not open yet: nothing to say goodbye to, so the connection just goes.
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
                    return write(new Outgoing(frame, size));
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
         *
         * @return false when the connection's thread has stopped (the factory was closed)
         */
        private boolean write(Outgoing frame) {
            Channel open = channel;
            if (open == null) {
                early.add(frame);
                return true;
            }
            try {
                thread.execute(() -> writeNow(open, frame));
                return true;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queuedBytes -= frame.size();
                frame.release();
                return false;
            }
        }

        private void writeNow(Channel open, Outgoing frame) {
            Object message = frame.frame();
            if (message instanceof BinaryWebSocketFrame binary) {
                // Masked here, past Netty's encoder, which passes a ByteBuf on as it is.
                try {
                    message = Masking.binaryFrame(open.alloc(), binary.content());
                } catch (RuntimeException | OutOfMemoryError e) {
                    // out of direct memory, say: a frame missing from the stream ends the connection
                    synchronized (this) {
                        queuedBytes -= frame.size();
                    }
                    failed(e, null);
                    open.close();
                    return;
                } finally {
                    binary.release();
                }
            }
            open.writeAndFlush(message).addListener(written -> {
                synchronized (this) {
                    queuedBytes -= frame.size();
                }
                if (!(frame.frame() instanceof CloseWebSocketFrame) || !written.isSuccess()) {
                    return;
                }
                if (frame.answer()) {
                    open.close(); // the other end closed first: both have said goodbye
                    return;
                }
                closeWritten = true;
                // the other end has this long to answer before the connection counts as lost
                thread.schedule(
                        () -> {
                            if (open.isActive()) {
                                failed(
                                        new java.net.SocketTimeoutException(
                                                "no close frame from the server within " + CLOSE_WAIT_MILLIS + " ms"),
                                        null);
                                open.close();
                            }
                        },
                        CLOSE_WAIT_MILLIS,
                        TimeUnit.MILLISECONDS);
            });
        }

        // ---- Netty's side, all on the connection's thread ----

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
                Response seen = response(code, response.status().reasonPhrase(), response.headers());
                if (code != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    failed(
                            new ProtocolException("Expected HTTP 101 response but was '" + code + " "
                                    + response.status().reasonPhrase() + "'"),
                            seen);
                    ctx.close();
                    return;
                }
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                } catch (RuntimeException e) { // the answer is not a WebSocket's (its accept key, say)
                    failed(new ProtocolException(e.getMessage()), seen);
                    ctx.close();
                    return;
                }
                // Messages sent in several frames come whole, as OkHttp gave them.
                ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
                opened(ctx.channel(), seen);
                return;
            }
            if (message instanceof TextWebSocketFrame text) {
                listener.onMessage(this, text.text());
            } else if (message instanceof BinaryWebSocketFrame binary) {
                listener.onMessage(this, ByteString.of(binary.content().nioBuffer()));
            } else if (message instanceof PingWebSocketFrame ping) {
                synchronized (this) {
                    if (!closeSent) { // after a close frame only the close's answer may follow
                        write(new Outgoing(new PongWebSocketFrame(ping.content().retain()), 0));
                    }
                }
            } else if (message instanceof CloseWebSocketFrame close) {
                closedByPeer(close);
            }
        }

        private void opened(Channel open, Response response) {
            synchronized (this) {
                // the channel first, so a close() from now on says goodbye on it
                channel = open;
                for (Outgoing frame : early) {
                    write(frame);
                }
                early.clear();
            }
            listener.onOpen(this, response);
        }

        private void closedByPeer(CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? NO_STATUS : close.statusCode();
            String reason = close.reasonText();
            synchronized (this) {
                if (!closeSent) {
                    closeSent = true;
                    // The server's code echoed, as RFC 6455 (5.5.1) has it, unless it is one only a
                    // receiver may report (1005, 1006, 1015) or none; after what was already queued.
                    int echo = (code >= 1000 && code <= 1003)
                                    || (code >= 1007 && code <= 1014)
                                    || (code >= 3000 && code <= 4999)
                            ? code
                            : NORMAL;
                    write(new Outgoing(new CloseWebSocketFrame(echo, ""), 0, true));
                } else if (channel != null) {
                    channel.close(); // the answer to our close: both have said goodbye
                }
            }
            listener.onClosing(this, code, reason);
            end(() -> listener.onClosed(this, code, reason));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            int code;
            String reason;
            synchronized (this) {
                code = closeCode;
                reason = closeReason;
            }
            if (closeWritten) {
                // we said goodbye and the other end hung up: done, if without its close frame
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
            // engine.io-client hears only Exceptions: an Error (out of direct memory, say) too
            Throwable reported = failure instanceof Exception ? failure : new IOException(failure);
            end(() -> listener.onFailure(this, reported, response));
        }

        /**
         * Makes {@code last} the listener's last call, on the connection's thread, unless it had
         * one; what waited to be sent goes.
         */
        private void end(Runnable last) {
            if (!thread.inEventLoop()) {
                try {
                    thread.execute(() -> end(last));
                    return;
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the factory's thread has stopped: this is the last thread there is
                }
            }
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                closeSent = true;
                for (Outgoing frame : early) {
                    queuedBytes -= frame.size();
                    frame.release();
                }
                early.clear();
            }
            last.run();
        }

        private Response response(int code, String message, HttpHeaders headers) {
            Headers.Builder copied = new Headers.Builder();
            for (java.util.Map.Entry<String, String> header : headers) {
                copied.addUnsafeNonAscii(header.getKey(), header.getValue());
            }
            return new Response.Builder()
                    .request(request)
                    .protocol(Protocol.HTTP_1_1)
                    .code(code)
                    .message(message)
                    .headers(copied.build())
                    .build();
        }
    }

    /** A frame on its way, what it counts against {@link #QUEUE_LIMIT}, and whether it answers the server's close. */
    private record Outgoing(WebSocketFrame frame, long size, boolean answer) {
        Outgoing(WebSocketFrame frame, long size) {
            this(frame, size, false);
        }

        void release() {
            frame.release();
        }
    }
}
