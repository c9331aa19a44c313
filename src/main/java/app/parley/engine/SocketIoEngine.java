package app.parley.engine;

import app.parley.engine.patch.EngineChannelInitializer;
import app.parley.engine.patch.NettySocketIoFields;
import app.parley.engine.patch.ServerParts;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's Socket.IO server engine: netty-socketio 2.0.14, configured and with its pipeline
 * corrected towards the Engine.IO v4 / Socket.IO v5 specifications (see {@code docs/PROTOCOL.md},
 * "The server engine"). It knows nothing about chat: the host registers its namespaces and
 * listeners on {@link #server()}, and the test sources' {@code ProtocolEchoServer} runs it bare
 * against the specifications' own test suites.
 */
public final class SocketIoEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SocketIoEngine.class);

    private final EngineSettings settings;
    private final CompletableFuture<Integer> boundPort = new CompletableFuture<>();
    private final PortReportingServer server;
    private final EngineServer engine;
    private final SpecChannelInitializer pipeline;
    private final CatchAllJsonSupport catchAll = new CatchAllJsonSupport();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<EventTap> tap =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Connection state recovery (docs/PROTOCOL.md §16), off while null. */
    private volatile SocketRecovery recovery;

    private volatile boolean running;

    /**
     * @param extraInbound handlers placed behind the engine's own, in front of netty-socketio's
     *                     transports (they see whole HTTP requests and WebSocket frames)
     */
    public SocketIoEngine(EngineSettings settings, List<ChannelHandler> extraInbound) {
        this.settings = settings;
        this.server = new PortReportingServer(configuration(settings, catchAll), boundPort);
        this.engine = new EngineServer(settings);
        this.pipeline = new SpecChannelInitializer(
                engine,
                new OriginGuard(settings.origins(), settings.originRefused(), settings.tls() != null),
                List.copyOf(extraInbound),
                catchAll,
                connectionListeners,
                tap,
                () -> recovery);
        server.replacePipeline(pipeline);
    }

    public SocketIoEngine(EngineSettings settings) {
        this(settings, List.of());
    }

    /** The netty-socketio server, for namespaces, listeners, rooms and broadcasts. */
    public SocketIOServer server() {
        return server;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** Turns on connection state recovery, kept by {@code keeper}; null turns it off. Set it before {@link #start}. */
    public void recovery(SocketRecovery keeper) {
        this.recovery = keeper;
    }

    /**
     * Binds and starts serving. Blocks until the port is bound (a fraction of a second).
     *
     * @return the port actually bound (useful with port 0)
     * @throws EngineException with a readable reason when the port cannot be bound
     */
    public synchronized int start() {
        if (running) {
            return port();
        }
        try {
            server.startAsync().get(10, TimeUnit.SECONDS);
            running = true;
            return boundPort.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            server.stop();
            throw new EngineException(bindFailure(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            server.stop();
            throw new EngineException("The server did not start within 10 seconds", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
            throw new EngineException("Interrupted while starting the server", e);
        }
    }

    public int port() {
        return boundPort.getNow(-1);
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Closes every connection and thread. Blocks for a fraction of a second.
     *
     * <p>The connections are closed as the I/O threads end, without a WebSocket close frame:
     * a stock socket.io-client-java (OkHttp) does not answer one, and would sit on a half-open
     * socket until its ping timeout instead of reconnecting at once (Parley's own client answers
     * it: join/NettyWebSockets). The host has told its clients it is closing before this.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        server.stop();
    }

    /** Serves a plain Engine.IO endpoint at {@code path} (the specification's test suite uses one). */
    void addEngineEndpoint(String path, EngineEndpoint endpoint) {
        engine.addEndpoint(path, endpoint);
    }

    /**
     * The I/O loop running the calling thread, or null when the caller is not on one of this
     * engine's loops: work handed to it runs on that thread, after what the loop is doing now.
     */
    public EventExecutor currentLoop() {
        return server.currentLoop();
    }

    /**
     * Bytes waiting to reach {@code socket}'s client: what a sender that can wait (a replay, a
     * history page) checks before adding more. 0 for a socket that is gone.
     */
    public long backlog(SocketIOClient socket) {
        EngineSession session = SocketIoEndpoint.sessionOf(socket);
        return session == null ? 0 : session.backlog();
    }

    /** The size of an answer that pays for the request that asked for it ({@link #paidByItsAnswer}). */
    public static final int BULK_ANSWER = EngineServer.BULK_ATTACHMENT;

    /**
     * The request {@code socket} just made is answered with {@link #BULK_ANSWER} bytes or more (a
     * file's slice): its packet goes back to the flood budget, as an attachment that big never
     * takes one. Its cost is the answer's bytes, which the client must read before the next
     * (whoever lets them wait is refused, then closed), so a download over a fast link is not
     * cut as a flood, while a request refused or answered small still counts.
     */
    public void paidByItsAnswer(SocketIOClient socket) {
        EngineSession session = SocketIoEndpoint.sessionOf(socket);
        if (session != null) {
            session.refundPacket();
        }
    }

    /**
     * Closes every connection as a server shutting down does ({@code 1}, then the transport), while
     * the server stays up: their sockets' disconnects run as for any lost transport.
     */
    public void closeConnections() {
        pipeline.closeSessions();
    }

    /** From now on a handshake is answered 503 (server shutting down); open connections carry on. */
    public void refuseNewConnections() {
        pipeline.refuseNewSessions();
    }

    /** Closes the connection under {@code socket} (every namespace on it), telling the client why. */
    public void closeConnection(SocketIOClient socket, String reason) {
        EngineSession session = SocketIoEndpoint.sessionOf(socket);
        if (session != null) {
            session.close(reason, EngineSession.Farewell.CLOSE, 1008);
        }
    }

    /** What {@code socket} has sent and received so far; null for a socket that is not (or no longer) connected. */
    public SocketTraffic traffic(SocketIOClient socket) {
        return SocketIoEndpoint.trafficOf(socket);
    }

    /** Hears every connection's upgrade and close, from now on; called on I/O threads. */
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    /** Shows {@code value} every event in and out of every socket from now on; null stops it. One tap at a time. */
    public void tapEvents(EventTap value) {
        tap.set(value);
    }

    /** Engine.IO sessions open now. */
    public int sessionCount() {
        return engine.sessionCount();
    }

    private static Configuration configuration(EngineSettings settings, CatchAllJsonSupport catchAll) {
        Configuration c = new Configuration();
        c.setHostname(settings.bindAddress());
        c.setPort(settings.port());
        // Session ids come from the server's random UUIDs, never from the client.
        c.setRandomSession(true);
        // Per-message deflate costs more CPU than it saves on chat-sized frames.
        c.setWebsocketCompression(false);
        c.setHttpCompression(false);
        c.setMaxFramePayloadLength(settings.maxPayload());
        c.setMaxHttpContentLength(settings.maxPayload());
        c.setPingInterval((int) settings.pingIntervalMillis());
        c.setPingTimeout((int) settings.pingTimeoutMillis());
        c.setAddVersionHeader(false);
        SocketConfig socket = new SocketConfig();
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        c.setSocketConfig(socket);
        c.setExceptionListener(new QuietExceptionListener());
        // As in Node, a listener acknowledges when it has the answer, which may be after it returns
        // (a message is acked once it is on disk); the library's default would send an empty ack
        // the moment the listener returns.
        c.setAckMode(com.corundumstudio.socketio.AckMode.MANUAL);
        // One I/O thread per core, not Netty's two: a broadcast hands each recipient on another
        // loop a task, and more loops than cores only add hand-offs and context switches
        // (docs/BENCHMARKS.md: fan-out to 100 went from 0.78x to 1.2-1.4x Node's rate).
        c.setWorkerThreads(Runtime.getRuntime().availableProcessors());
        c.setBossThreads(1);
        // Linux's epoll through Netty's native transport, not the JDK's selector, wherever its
        // library loads (Linux on x86-64 and ARM64; elsewhere, or where the temporary folder it is
        // unpacked to forbids running code, the JDK's): less CPU and a lower chat p99
        // (docs/PERFORMANCE.md, "Measured in the code").
        c.setUseLinuxNativeEpoll(Epoll.isAvailable());
        c.setJsonSupport(catchAll);
        return c;
    }

    private String bindFailure(Throwable cause) {
        String what = cause == null ? "" : String.valueOf(cause.getMessage());
        if (cause instanceof java.net.BindException || what.contains("Address already in use")) {
            return "Port " + settings.port() + " is already in use. Pick another port or stop the program using it.";
        }
        if (what.contains("Permission denied")) {
            return "Port " + settings.port() + " needs administrator rights. Pick a port above 1024.";
        }
        return "Could not listen on " + settings.bindAddress() + ":" + settings.port() + ": " + what;
    }

    /**
     * Records the bound port (netty-socketio keeps its server channel to itself) and stops its
     * threads without Netty's default two-second quiet period.
     */
    private static final class PortReportingServer extends SocketIOServer {
        /** How long a stopping loop waits for late tasks; what was queued before the stop runs regardless. */
        private static final long QUIET_MILLIS = 50;

        private static final long STOP_TIMEOUT_MILLIS = 5_000;

        private final CompletableFuture<Integer> boundPort;
        /** The accepting loop and the I/O loops, from the bootstrap; empty until started. */
        private final List<EventLoopGroup> loops = new CopyOnWriteArrayList<>();

        PortReportingServer(Configuration configuration, CompletableFuture<Integer> boundPort) {
            super(configuration);
            this.boundPort = boundPort;
        }

        /**
         * Installs Parley's pipeline. The constructor already made a default initializer whose
         * timer nobody would ever release (Netty reports it as a leak), so release it first.
         */
        void replacePipeline(SocketIOChannelInitializer replacement) {
            try {
                NettySocketIoFields.releaseDefaultPipeline(this);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not release netty-socketio's default pipeline: {}", e.toString());
            }
            setPipelineFactory(replacement);
        }

        @Override
        protected void applyConnectionOptions(ServerBootstrap bootstrap) {
            super.applyConnectionOptions(bootstrap);
            loops.add(bootstrap.config().group());
            loops.add(bootstrap.config().childGroup());
            bootstrap.handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    boundPort.complete(((InetSocketAddress) ctx.channel().localAddress()).getPort());
                    ctx.fireChannelActive();
                }
            });
        }

        /** The loop running the calling thread, or null when it is none of this server's. */
        EventExecutor currentLoop() {
            for (EventLoopGroup group : loops) {
                for (EventExecutor loop : group) {
                    if (loop.inEventLoop()) {
                        return loop;
                    }
                }
            }
            return null;
        }

        /**
         * netty-socketio stops its loops with Netty's defaults, a two-second quiet period each, one
         * after the other, so a host took seconds from SIGTERM to exit. Both are told to stop here
         * first, with a short quiet period, and netty-socketio's own stop then only waits for them
         * to end (docs/PERFORMANCE.md, "Measured in the code").
         */
        @Override
        public void stop() {
            for (EventLoopGroup group : loops) {
                group.shutdownGracefully(QUIET_MILLIS, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            super.stop();
        }
    }

    /**
     * Parley's pipeline: HTTP decoding with keep-alive, the origin allow-list, then Parley's own
     * Engine.IO v4 transport ({@link EngineHttp}, {@link EngineWebSocket}, {@link EngineSession})
     * in place of netty-socketio's, with netty-socketio's namespaces, rooms, listeners and acks
     * above it ({@link SocketIoEndpoint}).
     */
    private static final class SpecChannelInitializer extends EngineChannelInitializer {
        /** Node's limit ({@code --max-http-header-size}): browsers send every cookie of the host with a WebSocket upgrade. */
        private static final int MAX_HEADER_BYTES = 16_384;

        private static final int MAX_REQUEST_LINE_BYTES = 4_096;

        private final EngineServer engine;
        private final OriginGuard guard;
        private final List<ChannelHandler> extraInbound;
        private final EngineHttp http;
        private final ConnectionLimiter connections;
        private final BrokenRequestGuard brokenRequests =
                new BrokenRequestGuard(MAX_HEADER_BYTES, MAX_REQUEST_LINE_BYTES);
        private final io.netty.handler.ssl.SslContext sslContext;
        private Configuration configuration;
        private final CatchAllJsonSupport catchAll;
        private final List<ConnectionListener> connectionListeners;
        private final java.util.concurrent.atomic.AtomicReference<EventTap> tap;
        private final java.util.function.Supplier<SocketRecovery> recovery;

        SpecChannelInitializer(
                EngineServer engine,
                OriginGuard guard,
                List<ChannelHandler> extraInbound,
                CatchAllJsonSupport catchAll,
                List<ConnectionListener> connectionListeners,
                java.util.concurrent.atomic.AtomicReference<EventTap> tap,
                java.util.function.Supplier<SocketRecovery> recovery) {
            this.catchAll = catchAll;
            this.connectionListeners = connectionListeners;
            this.tap = tap;
            this.recovery = recovery;
            this.engine = engine;
            this.guard = guard;
            this.extraInbound = new ArrayList<>(extraInbound);
            this.http = new EngineHttp(engine);
            this.connections = new ConnectionLimiter(engine.settings().limits());
            TlsIdentity tls = engine.settings().tls();
            this.sslContext = tls == null ? null : tls.serverContext();
        }

        @Override
        protected void started(Configuration configuration, ServerParts parts) {
            this.configuration = configuration;
            SocketIoEndpoint socketIo =
                    new SocketIoEndpoint(engine.settings(), parts, catchAll, connectionListeners, tap, recovery);
            engine.addEndpoint(configuration.getContext() + "/", socketIo);
        }

        @Override
        protected void addSslHandler(ChannelPipeline pipeline) {
            if (sslContext != null) {
                io.netty.handler.ssl.SslHandler tls =
                        sslContext.newHandler(pipeline.channel().alloc());
                pipeline.addLast("parleyRenegotiationGuard", new RenegotiationGuard(tls));
                pipeline.addLast(SSL_HANDLER, tls);
            }
        }

        @Override
        protected void addSocketioHandlers(ChannelPipeline pipeline) {
            // The clock's two halves: one sees the bytes a request starts with, the other (with the
            // encoder in front of it, so it sees responses whole) its head, its end and its answer.
            ConnectionClock clock = new ConnectionClock(engine.settings().limits());
            pipeline.addLast("parleyClockBytes", clock.bytes());
            pipeline.addLast(
                    HTTP_REQUEST_DECODER,
                    new HttpRequestDecoder(configuration
                            .getHttpDecoderConfig()
                            .setMaxHeaderSize(MAX_HEADER_BYTES)
                            .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)));
            pipeline.addLast(HTTP_ENCODER, new HttpResponseEncoder());
            pipeline.addLast("parleyClockMessages", clock.messages());
            pipeline.addLast(
                    HTTP_AGGREGATOR, new HttpObjectAggregator(engine.settings().maxPayload()));
            pipeline.addLast("parleyBrokenRequests", brokenRequests);
            pipeline.addLast("parleyConnectionLimiter", connections);
            pipeline.addLast("parleyOriginGuard", guard);
            for (int i = 0; i < extraInbound.size(); i++) {
                pipeline.addLast("parleyExtra" + i, extraInbound.get(i));
            }
            // Streams a download as the peer takes it (Downloads); passes everything else by.
            pipeline.addLast(EngineHttp.CHUNKED_WRITE, new io.netty.handler.stream.ChunkedWriteHandler());
            pipeline.addLast("parleyEngineHttp", http);
        }

        @Override
        public void stop() {
            engine.closeAll();
            super.stop();
        }

        void closeSessions() {
            engine.closeAll();
        }

        void refuseNewSessions() {
            engine.refuseNewSessions();
        }
    }
}
