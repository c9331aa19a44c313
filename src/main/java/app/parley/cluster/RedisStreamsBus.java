package app.parley.cluster;

import app.parley.cluster.ClusterMessage.Broadcast;
import app.parley.cluster.ClusterMessage.BroadcastAck;
import app.parley.cluster.ClusterMessage.ClientCount;
import app.parley.cluster.ClusterMessage.DisconnectSockets;
import app.parley.cluster.ClusterMessage.FetchSockets;
import app.parley.cluster.ClusterMessage.Received;
import app.parley.cluster.ClusterMessage.ServerSideEmit;
import app.parley.cluster.ClusterMessage.SocketsFound;
import app.parley.cluster.ClusterMessage.SocketsJoin;
import app.parley.cluster.ClusterMessage.SocketsLeave;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster over Redis as {@code @socket.io/redis-streams-adapter} 0.3 runs it (docs/PROTOCOL.md
 * §19): broadcasts and room changes go into one stream, {@value #STREAM}, which every server reads
 * in order from where it stood, so a Redis reconnect loses nothing; requests and their answers
 * ({@code fetchSockets}, broadcasts waiting for acknowledgements) go over pub/sub, on
 * {@code socket.io#/#} and each server's own {@code socket.io#/#<uid>#}.
 *
 * <p>Threads: publishing is Lettuce's async API (never waits); the stream is read with blocking
 * {@code XREAD}s on a connection of its own, each asked for when the last one's entries are
 * handled, on Lettuce's event loop that got them (a thread of our own waiting for each answer
 * added a hand-over to every entry's way to the sockets); pub/sub arrives on that loop too.
 * Entries this version cannot read are skipped, each reason logged once.
 */
public final class RedisStreamsBus implements ClusterBus {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsBus.class);
    /** The adapter's default stream name. */
    public static final String STREAM = "socket.io";
    /** The adapter's default {@code maxLen}: the stream is trimmed to about this many entries. */
    static final long MAX_LEN = 10_000;
    /** The adapter's default {@code readCount} and {@code blockTimeInMs}. */
    private static final int READ_COUNT = 100;

    private static final Duration BLOCK = Duration.ofSeconds(5);
    private static final XReadArgs READ_ARGS = XReadArgs.Builder.block(BLOCK).count(READ_COUNT);
    /** How long after a failed read the stream is read again. */
    private static final long RETRY_MILLIS = 500;
    /** Commands held while Redis is away; past this, publishing fails (and says so) rather than filling the heap. */
    private static final int QUEUE_LIMIT = 100_000;
    /** Distinct unreadable-input reasons logged before they are only counted. */
    private static final int REASONS_LOGGED = 64;

    private final String uid;
    /** The namespace {@link #connect} was given; its methods on this object are its. */
    private final Space main;
    /** Every namespace this server serves, by name. */
    private final Map<String, Space> spaces = new ConcurrentHashMap<>();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisConnection<String, String> reader;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;
    private volatile String offset;

    private RedisStreamsBus(String nsp, ClusterHandler handler, RedisClient client) {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        this.uid = HexFormat.of().formatHex(id);
        this.main = new Space(nsp, handler);
        spaces.put(nsp, main);
        this.client = client;
        RedisCodec<String, byte[]> bytes = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        this.commands = client.connect();
        this.publisher = client.connect(bytes);
        this.reader = client.connect();
        this.subscriber = client.connectPubSub(bytes);
    }

    /**
     * Connects to the cluster's Redis as a server of namespace {@code nsp} ({@code "/"}): reads the
     * stream from its current end and listens for requests. Blocks while connecting (seconds at
     * most); call it off the I/O threads, as a host's start is.
     *
     * @throws ClusterException when Redis cannot be reached or refuses the credentials
     */
    public static RedisStreamsBus connect(ClusterTarget target, String nsp, ClusterHandler handler) {
        RedisClient client = client(target);
        client.setOptions(client.getOptions()
                .mutate()
                .autoReconnect(true)
                .requestQueueSize(QUEUE_LIMIT)
                .build());
        try {
            RedisStreamsBus bus = new RedisStreamsBus(nsp, handler, client);
            bus.start();
            return bus;
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new ClusterException("Redis at " + target + " cannot be used: " + rootMessage(e), e);
        }
    }

    /** A client for {@code target}, trusting the authorities {@code ?cacert=} names when it names some. */
    static RedisClient client(ClusterTarget target) {
        RedisClient client = RedisClient.create(uri(target));
        if (target.caCertificate() != null) {
            client.setOptions(ClientOptions.builder()
                    .sslOptions(SslOptions.builder()
                            .jdkSslProvider()
                            .trustManager(target.caCertificate().toFile())
                            .build())
                    .build());
        }
        return client;
    }

    private static RedisURI uri(ClusterTarget target) {
        RedisURI.Builder uri = RedisURI.Builder.redis(target.host(), target.port())
                .withDatabase(target.database())
                .withSsl(target.tls())
                .withTimeout(Duration.ofSeconds(10));
        if (target.password() != null) {
            uri = target.user() == null
                    ? uri.withPassword(target.password().toCharArray())
                    : uri.withAuthentication(target.user(), target.password().toCharArray());
        }
        return uri.build();
    }

    private void start() {
        offset = lastId();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] payload) {
                onPubSub(payload);
            }
        });
        subscriber.sync().subscribe(main.publicChannel, main.privateChannel(uid));
        readNext();
        LOG.info("Cluster: server {} reads stream {} from {}", uid, STREAM, offset);
    }

    /** This server's id in the cluster, as the other servers see it in each message's {@code uid}. */
    public String uid() {
        return uid;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public CompletableFuture<Void> publish(ClusterMessage message) {
        return main.publish(message);
    }

    @Override
    public CompletableFuture<Map<String, List<Map<String, Object>>>> fetchSockets(Audience who, Duration timeout) {
        return main.fetchSockets(who, timeout);
    }

    /**
     * Serves namespace {@code nsp} too, over the same connections and the same reading of the
     * stream (as the Node adapter serves each namespace of a server): its broadcasts and requests
     * go to {@code handler}, and what the returned bus publishes goes out in {@code nsp}. Blocks
     * while subscribing; call it off the I/O threads.
     *
     * @throws ClusterException when Redis refuses the subscription
     */
    public ClusterBus serve(String nsp, ClusterHandler handler) {
        Space space = new Space(nsp, handler);
        if (spaces.putIfAbsent(nsp, space) != null) {
            throw new IllegalStateException(nsp + " is served already");
        }
        try {
            subscriber.sync().subscribe(space.publicChannel, space.privateChannel(uid));
        } catch (RuntimeException e) {
            spaces.remove(nsp);
            throw new ClusterException("Redis refused to subscribe for " + nsp + ": " + rootMessage(e), e);
        }
        return space;
    }

    /** One namespace of this server's: its channels, its handler, its requests under way. */
    private final class Space implements ClusterBus {
        final String nsp;
        final ClusterHandler handler;
        final String publicChannel;

        Space(String nsp, ClusterHandler handler) {
            this.nsp = nsp;
            this.handler = handler;
            this.publicChannel = "socket.io#" + nsp + "#";
        }

        @Override
        public boolean clustered() {
            return true;
        }

        /** Stops serving a namespace {@link #serve} added; the bus itself is closed by its owner. */
        @Override
        public void close() {
            if (this != main && spaces.remove(nsp, this) && open) {
                try {
                    subscriber.async().unsubscribe(publicChannel, privateChannel(uid));
                } catch (RuntimeException e) {
                    reportOnce("unsubscribing " + nsp + " failed: " + rootMessage(e));
                }
            }
        }

        @Override
        public CompletableFuture<Void> publish(ClusterMessage message) {
            if (!open) {
                return CompletableFuture.completedFuture(null);
            }
            try {
                CompletableFuture<?> sent = ephemeral(message)
                        ? publisher
                                .async()
                                .publish(publicChannel, ClusterWire.pubSub(uid, nsp, message))
                                .toCompletableFuture()
                        : commands.async()
                                .xadd(
                                        STREAM,
                                        new XAddArgs().maxlen(MAX_LEN).approximateTrimming(),
                                        ClusterWire.streamEntry(uid, nsp, message))
                                .toCompletableFuture();
                return sent.<Void>thenApply(done -> null).whenComplete((done, e) -> {
                    if (e != null) {
                        reportOnce("publishing failed: " + rootMessage(e));
                    }
                });
            } catch (RuntimeException e) {
                // Lettuce refuses at once when its queue is full; the caller is an I/O thread.
                reportOnce("publishing refused: " + rootMessage(e));
                return CompletableFuture.failedFuture(e);
            }
        }

        /** A {@link #fetchSockets} under way: the answers so far, and how many servers were listening. */
        private record Fetching(
                Map<String, List<Map<String, Object>>> answers, long expected, CompletableFuture<Void> complete) {}

        private final Map<String, Fetching> fetching = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Map<String, List<Map<String, Object>>>> fetchSockets(Audience who, Duration timeout) {
            if (!open) {
                return CompletableFuture.completedFuture(Map.of());
            }
            String requestId = java.util.UUID.randomUUID().toString();
            // As the Node adapter counts the servers: those listening on the public channel, this one too.
            return publisher
                    .async()
                    .pubsubNumsub(publicChannel)
                    .toCompletableFuture()
                    .thenCompose(listening -> {
                        long others = listening.getOrDefault(publicChannel, 0L) - 1;
                        if (others <= 0) {
                            return CompletableFuture.<Map<String, List<Map<String, Object>>>>completedFuture(Map.of());
                        }
                        Fetching request = new Fetching(
                                new java.util.concurrent.ConcurrentHashMap<>(), others, new CompletableFuture<>());
                        fetching.put(requestId, request);
                        publish(new FetchSockets(who, requestId));
                        return request.complete()
                                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                                .handle((done, e) -> {
                                    fetching.remove(requestId);
                                    return Map.copyOf(request.answers());
                                });
                    })
                    .exceptionally(e -> {
                        reportOnce("asking the other servers for their sockets failed: " + rootMessage(e));
                        return Map.of();
                    });
        }

        /**
         * What goes over pub/sub rather than the stream: requests that only live servers can answer.
         * A server-side event without an acknowledgement goes into the stream, unlike the Node
         * adapter's: Parley's presence rides on it and must stay in order with the messages (every
         * server reads type 9 from the stream all the same).
         */
        private static boolean ephemeral(ClusterMessage message) {
            return message instanceof FetchSockets
                    || (message instanceof ServerSideEmit e && e.requestId() != null)
                    || (message instanceof Broadcast b && b.requestId() != null);
        }

        private void respond(String requester, ClusterMessage answer) {
            publisher
                    .async()
                    .publish(privateChannel(requester), ClusterWire.pubSub(uid, nsp, answer))
                    .exceptionally(e -> {
                        reportOnce("answering " + requester + " failed: " + rootMessage(e));
                        return null;
                    });
        }

        private String privateChannel(String serverUid) {
            return publicChannel + serverUid + "#";
        }

        void dispatch(Received received) {
            String from = received.uid();
            ClusterMessage message = received.message();
            if (message instanceof Broadcast b && b.requestId() != null) {
                int count = handler.broadcastWithAck(
                        b.to(), b.event(), b.args(), ack -> respond(from, new BroadcastAck(b.requestId(), ack)));
                respond(from, new ClientCount(b.requestId(), count));
            } else if (message instanceof Broadcast b) {
                handler.broadcast(b.to(), b.event(), b.args());
            } else if (message instanceof SocketsJoin j) {
                handler.socketsJoin(j.who(), j.rooms());
            } else if (message instanceof SocketsLeave l) {
                handler.socketsLeave(l.who(), l.rooms());
            } else if (message instanceof DisconnectSockets d) {
                handler.disconnectSockets(d.who(), d.close());
            } else if (message instanceof FetchSockets f) {
                respond(from, new SocketsFound(f.requestId(), handler.fetchSockets(from, f.who())));
            } else if (message instanceof SocketsFound found) {
                Fetching request = fetching.get(found.requestId());
                if (request != null) {
                    request.answers().put(from, found.sockets());
                    if (request.answers().size() >= request.expected()) {
                        request.complete().complete(null);
                    }
                }
            } else if (message instanceof ServerSideEmit e && e.requestId() == null) {
                handler.serverSideEmit(from, e.packet());
            } else if (message instanceof ServerSideEmit) {
                // One waiting for answers: Parley has none to give, and the asker's timeout says so.
                LOG.debug("Cluster: server-side event with an acknowledgement from {} ignored", from);
            }
        }
    }

    /** The id of the stream's newest entry, or {@code 0-0} before there is one: where reading starts. */
    private String lastId() {
        List<StreamMessage<String, String>> newest =
                commands.sync().xrevrange(STREAM, Range.create("-", "+"), Limit.from(1));
        return newest.isEmpty() ? "0-0" : newest.get(0).getId();
    }

    /**
     * Asks for the entries after {@link #offset}; once they are handled, asks again. Answers are
     * handled on Lettuce's loop, so every read after the first is asked for there, where its
     * answer can only be read once this call has returned: the callbacks do not nest.
     */
    @SuppressWarnings("unchecked") // one stream: the varargs array Lettuce asks for holds one offset
    private void readNext() {
        if (!open) {
            return;
        }
        try {
            reader.async()
                    .xread(READ_ARGS, XReadArgs.StreamOffset.from(STREAM, offset))
                    .whenComplete((entries, failure) -> {
                        if (failure != null) {
                            readFailed(failure);
                            return;
                        }
                        for (StreamMessage<String, String> entry : entries) {
                            offset = entry.getId();
                            onEntry(entry);
                        }
                        readNext();
                    });
        } catch (RuntimeException e) {
            readFailed(e);
        }
    }

    /** Redis away or restarting: said once, and read again half a second later, from the same offset. */
    private void readFailed(Throwable e) {
        if (!open) {
            return;
        }
        reportOnce("reading the stream failed (retrying): " + rootMessage(e));
        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::readNext);
    }

    private void onEntry(StreamMessage<String, String> entry) {
        var body = entry.getBody();
        String nsp = body.get("nsp");
        Space space = nsp == null ? null : spaces.get(nsp);
        if (space == null || uid.equals(body.get("uid"))) {
            return;
        }
        try {
            space.dispatch(ClusterWire.fromStream(body, entry.getId()));
        } catch (ClusterWireException e) {
            reportOnce("skipped stream entries: " + e.getMessage());
        } catch (RuntimeException e) {
            reportOnce("a stream entry failed: " + rootMessage(e));
            LOG.debug("Cluster entry {} failed", entry.getId(), e);
        }
    }

    private void onPubSub(byte[] payload) {
        try {
            Received received = ClusterWire.fromPubSub(payload);
            Space space = spaces.get(received.nsp());
            if (space != null && !uid.equals(received.uid())) {
                space.dispatch(received);
            }
        } catch (ClusterWireException e) {
            reportOnce("skipped pub/sub messages: " + e.getMessage());
        } catch (RuntimeException e) {
            reportOnce("a pub/sub message failed: " + rootMessage(e));
        }
    }

    private void reportOnce(String reason) {
        if (reported.size() < REASONS_LOGGED && reported.add(reason)) {
            LOG.warn("Cluster: {} (said once)", reason);
        }
    }

    /** The innermost cause's message (Lettuce wraps the reason a few times), or its class when it has none. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        boolean certificate = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            certificate |= t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return certificate
                ? "Redis's TLS certificate is not trusted (" + message + "); name the authority that signed it with"
                        + " ?cacert=PATH"
                : message;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        // Closes every connection, the reader's too, which ends its blocked XREAD at once.
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
