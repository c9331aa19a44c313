package app.parley.engine;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
    private final CorrectedChannelInitializer pipeline;
    private volatile boolean running;

    /**
     * @param extraInbound handlers placed behind the engine's own, in front of netty-socketio's
     *                     transports (they see whole HTTP requests and WebSocket frames)
     */
    public SocketIoEngine(EngineSettings settings, List<ChannelHandler> extraInbound) {
        this.settings = settings;
        this.server = new PortReportingServer(configuration(settings), boundPort);
        this.pipeline = new CorrectedChannelInitializer(
                new OriginGuard(settings.originAllowed(), settings.originRefused()), List.copyOf(extraInbound));
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

    /** Closes every connection and thread. Blocks for a few seconds (Netty's graceful shutdown). */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        server.stop();
    }

    /** The Engine.IO session with this id, or null when there is none (any more). */
    ClientHead session(UUID sid) {
        return pipeline.clients().get(sid);
    }

    private static Configuration configuration(EngineSettings settings) {
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
        c.setJsonSupport(new CatchAllJsonSupport());
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

    /** Records the bound port; netty-socketio keeps its server channel to itself. */
    private static final class PortReportingServer extends SocketIOServer {
        private final CompletableFuture<Integer> boundPort;

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
                java.lang.reflect.Field field = SocketIOServer.class.getDeclaredField("pipelineFactory");
                field.setAccessible(true);
                ((SocketIOChannelInitializer) field.get(this)).stop();
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not release netty-socketio's default pipeline: {}", e.toString());
            }
            setPipelineFactory(replacement);
        }

        @Override
        protected void applyConnectionOptions(ServerBootstrap bootstrap) {
            super.applyConnectionOptions(bootstrap);
            bootstrap.handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    boundPort.complete(((InetSocketAddress) ctx.channel().localAddress()).getPort());
                    ctx.fireChannelActive();
                }
            });
        }
    }

    /**
     * netty-socketio's pipeline with the origin allow-list in front of every transport and
     * Parley's corrections: {@link UpgradePollNoop} (polling-to-WebSocket upgrades that stall),
     * {@link LosslessPacketEncoder} (poll responses that drop a packet) and
     * {@link PostAnswerAfterProcessing} (a polling client's emits handled out of order).
     */
    private static final class CorrectedChannelInitializer extends SocketIOChannelInitializer {
        private static final PostAnswerAfterProcessing POST_ANSWER_AFTER_PROCESSING = new PostAnswerAfterProcessing();
        private static final EngineSessionTag ENGINE_SESSION_TAG = new EngineSessionTag();
        private static final ConnectCarriesAuth CONNECT_CARRIES_AUTH = new ConnectCarriesAuth();
        private final OriginGuard guard;
        private final List<ChannelHandler> extraInbound;
        private UpgradePollNoop upgradePollNoop;
        private EncoderHandler encoder;

        CorrectedChannelInitializer(OriginGuard guard, List<ChannelHandler> extraInbound) {
            this.guard = guard;
            this.extraInbound = new ArrayList<>(extraInbound);
        }

        @Override
        public void start(Configuration configuration, NamespacesHub namespacesHub) {
            super.start(configuration, namespacesHub);
            upgradePollNoop = new UpgradePollNoop(configuration.getUpgradeTimeout());
            try {
                encoder = new EncoderHandler(configuration,
                        new LosslessPacketEncoder(configuration, configuration.getJsonSupport()));
            } catch (IOException e) {
                throw new IllegalStateException("Could not create the Socket.IO encoder", e);
            }
        }

        /** netty-socketio's registry of Engine.IO sessions, which it keeps private. */
        ClientsBox clients() {
            try {
                java.lang.reflect.Field field = SocketIOChannelInitializer.class.getDeclaredField("clientsBox");
                field.setAccessible(true);
                return (ClientsBox) field.get(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("netty-socketio's session registry is not where 2.0.14 keeps it", e);
            }
        }

        @Override
        protected void addSocketioHandlers(ChannelPipeline pipeline) {
            super.addSocketioHandlers(pipeline);
            // After the encoder, so the guard's 403 response is encoded on its way out.
            pipeline.addAfter(HTTP_ENCODER, "parleyOriginGuard", guard);
            pipeline.addAfter("parleyOriginGuard", "parleyEngineSessionTag", ENGINE_SESSION_TAG);
            pipeline.addAfter("parleyEngineSessionTag", "parleyUpgradePollNoop", upgradePollNoop);
            pipeline.addAfter("parleyUpgradePollNoop", "parleyConnectCarriesAuth", CONNECT_CARRIES_AUTH);
            String previous = "parleyConnectCarriesAuth";
            for (int i = 0; i < extraInbound.size(); i++) {
                String name = "parleyExtra" + i;
                pipeline.addAfter(previous, name, extraInbound.get(i));
                previous = name;
            }
            pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, encoder);
            // Outbound writes start at the tail: this must sit between the tail and the encoder.
            pipeline.addAfter(SOCKETIO_ENCODER, "parleyPostAnswerAfterProcessing", POST_ANSWER_AFTER_PROCESSING);
        }
    }
}
