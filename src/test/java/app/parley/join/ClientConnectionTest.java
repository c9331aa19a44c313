package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.patch.EventThreadHold;
import app.parley.join.patch.HeartbeatTimers;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent.Connected;
import app.parley.session.SessionEvent.CustomEventReceived;
import app.parley.session.SessionEvent.MessageReceived;
import app.parley.session.SessionEvent.PeersChanged;
import app.parley.session.SessionEvent.RoomsChanged;
import app.parley.session.SessionEvent.StateChanged;
import app.parley.session.SessionException;
import app.parley.testing.EventLog;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ClientConnection against the real HostServer and against bare netty-socketio servers, over loopback. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ClientConnectionTest {
    private static HostServer host;
    private static int hostPort;
    private static EventLog hostEvents;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One host for the class: starting and stopping netty costs seconds, and every test uses fresh sockets. */
    @BeforeAll
    static void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of()));
        hostPort = host.start();
        hostEvents = new EventLog();
        host.addListener(hostEvents);
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** A connection plus everything it published. */
    private record Peer(ClientConnection connection, EventLog events, String id) {}

    /** Connects to the Parley host and waits until it has introduced itself with a peers list. */
    private Peer joinHost() {
        Peer peer = connect(hostPort);
        // peers is how a connection learns it talks to a Parley host (and so expects acks on send);
        // the first list may arrive before Connected, so look back as well as ahead
        peer.events().awaitEver(PeersChanged.class, p -> p.peers().contains(peer.id()));
        assertThat(peer.connection().isParleyHost()).isTrue();
        return peer;
    }

    private Peer connect(int port) {
        return connect(port, ClientConnection.Options.defaults());
    }

    /**
     * Connects to a {@link BareServer} over WebSocket alone: netty-socketio's own transport layer
     * (which Parley's host replaces, docs/PROTOCOL.md §12) can drop a packet sent to a client while
     * it upgrades from polling, and these tests are about the client, not that server. The default
     * transports against a real Node server are covered by the interop suite.
     */
    private Peer connectBare(int port) {
        return connect(
                port, ClientConnection.Options.builder().transports("websocket").build());
    }

    private Peer connect(int port, ClientConnection.Options options) {
        ClientConnection connection = new ClientConnection(URI.create("http://127.0.0.1:" + port), options);
        toClose.add(connection);
        EventLog events = new EventLog();
        connection.addListener(events);
        connection.open();
        String id = events.await(Connected.class).socketId();
        return new Peer(connection, events, id);
    }

    private static ChatMessage nextMessage(Peer peer) {
        return peer.events().await(MessageReceived.class).message();
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(EventLog.WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void connectingPublishesConnectedThenConnectedState() {
        ClientConnection connection =
                new ClientConnection(URI.create("http://127.0.0.1:" + hostPort), ClientConnection.Options.defaults());
        toClose.add(connection);
        EventLog events = new EventLog();
        connection.addListener(events);

        connection.open();

        assertThat(events.await(StateChanged.class).state()).isEqualTo(ConnectionState.CONNECTING);
        String id = events.await(Connected.class).socketId();
        StateChanged connected = events.await(StateChanged.class);
        assertThat(connected.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(connected.detail()).contains("127.0.0.1:" + hostPort);
        assertThat(id).isNotBlank().isEqualTo(connection.socketId());
        // The host admits a socket just after answering its CONNECT, so look a moment later.
        hostEvents.awaitEver(
                app.parley.session.SessionEvent.ClientConnected.class,
                c -> c.socketId().equals(id));
        assertThat(host.connectedIds()).contains(id);
    }

    @Test
    void messageToEveryoneReachesOthersButNotTheSender() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        Peer cat = joinHost();

        done(ann.connection().send(Target.EVERYONE, "hello all"));

        for (Peer receiver : List.of(bob, cat)) {
            ChatMessage got = nextMessage(receiver);
            assertThat(got.text()).isEqualTo("hello all");
            assertThat(got.from()).isEqualTo(ann.id());
            assertThat(got.kind()).isEqualTo(MessageKind.EVERYONE);
            assertThat(got.room()).isNull();
            assertThat(got.id()).isNotBlank();
        }
        ann.events().assertNone(MessageReceived.class);
    }

    @Test
    void roomMessageReachesMembersOnly() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        Peer outsider = joinHost();
        done(ann.connection().joinRoom("design"));
        done(bob.connection().joinRoom("design"));

        done(ann.connection().send(new Target.Room("design"), "room only"));

        ChatMessage got = nextMessage(bob);
        assertThat(got.text()).isEqualTo("room only");
        assertThat(got.from()).isEqualTo(ann.id());
        assertThat(got.kind()).isEqualTo(MessageKind.ROOM);
        assertThat(got.room()).isEqualTo("design");
        outsider.events().assertNone(MessageReceived.class);
        ann.events().assertNone(MessageReceived.class);
    }

    @Test
    void directMessageReachesExactlyTheAddressee() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        Peer cat = joinHost();

        done(ann.connection().send(new Target.Direct(bob.id()), "just for you"));

        ChatMessage got = nextMessage(bob);
        assertThat(got.text()).isEqualTo("just for you");
        assertThat(got.from()).isEqualTo(ann.id());
        assertThat(got.kind()).isEqualTo(MessageKind.DIRECT);
        assertThat(got.room()).isNull();
        cat.events().assertNone(MessageReceived.class);
        ann.events().assertNone(MessageReceived.class);
    }

    @Test
    void joinAndLeaveRoomAnswerWithTheTutorialTextsAndTrackMembership() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        Peer cat = joinHost();
        done(cat.connection().joinRoom("design"));

        assertThat(done(bob.connection().joinRoom("design"))).isEqualTo("Joined design");
        assertThat(bob.events().await(RoomsChanged.class).rooms()).containsExactly("design");

        assertThat(done(bob.connection().leaveRoom("design"))).isEqualTo("Left design");
        assertThat(bob.events().await(RoomsChanged.class).rooms()).isEmpty();

        done(ann.connection().send(new Target.Room("design"), "after bob left"));
        // cat still gets it, so the message really went out and bob's silence means something
        assertThat(nextMessage(cat).text()).isEqualTo("after bob left");
        bob.events().assertNone(MessageReceived.class);
    }

    @Test
    void overlongMessageIsRefusedLocallyWithAReasonAndNothingIsSent() {
        Peer ann = joinHost();
        Peer bob = joinHost();

        CompletableFuture<Void> sent = ann.connection().send(Target.EVERYONE, "x".repeat(5000));

        // already failed on return: the check runs before anything goes on the wire
        assertThat(sent).isCompletedExceptionally();
        assertThatThrownBy(sent::join)
                .hasCauseInstanceOf(SessionException.class)
                .cause()
                .hasMessageContaining("Not sent")
                .hasMessageContaining("longer than 4000");
        bob.events().assertNone(MessageReceived.class);
    }

    @Test
    void refusedPortIsReportedInWordsNotAStackTrace() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + closedPort),
                ClientConnection.Options.builder().withoutReconnect().build());
        toClose.add(connection);
        EventLog events = new EventLog();
        connection.addListener(events);

        connection.open();

        StateChanged failed = events.await(StateChanged.class, s -> s.state() != ConnectionState.CONNECTING);
        assertThat(failed.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(failed.detail()).containsAnyOf("connection refused", "Nothing is listening");
        assertThat(failed.detail()).doesNotContain("Exception", "\tat ", "\n");
        assertThat(connection.socketId()).isNull();
    }

    @Test
    void joinTargetAcceptsBareHostPortAndWebSocketSchemes() {
        assertThat(JoinTarget.parse("localhost:3000")).isEqualTo(URI.create("http://localhost:3000"));
        assertThat(JoinTarget.parse("  localhost:3000 ")).isEqualTo(URI.create("http://localhost:3000"));
        assertThat(JoinTarget.parse("ws://h:1")).isEqualTo(URI.create("http://h:1"));
        assertThat(JoinTarget.parse("wss://h:1")).isEqualTo(URI.create("https://h:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "", "   ", "http://"})
    void joinTargetRefusesWhatIsNotAServerAddressInWords(String typed) {
        assertThatThrownBy(() -> JoinTarget.parse(typed))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .isNotBlank()
                .doesNotContain("Exception", "java.");
    }

    @Test
    void joinTargetNamesTheUnsupportedScheme() {
        assertThatThrownBy(() -> JoinTarget.parse("ftp://x")).hasMessageContaining("\"ftp\"");
        assertThatThrownBy(() -> JoinTarget.parse("")).hasMessageContaining("Enter the address");
    }

    @Test
    void customEventFromAClientReachesTheHostAsPlainJava() {
        Peer ann = joinHost();

        ann.connection().emitCustom("custom-event", List.of(Map.of("a", 1), "x"));

        CustomEventReceived got =
                hostEvents.await(CustomEventReceived.class, e -> ann.id().equals(e.source()));
        assertThat(got.name()).isEqualTo("custom-event");
        assertThat(got.args()).containsExactly(Map.of("a", 1), "x");
    }

    @Test
    void customEventFromTheServerReachesTheClientWithNoSource() throws Exception {
        BareServer server = bareServer();
        Map<String, Object> payload = Map.of("nested", Map.of("n", 2), "list", List.of(1, "two"), "flag", true);
        // netty-socketio sends this before its CONNECT packet, the path socket.io-client-java mangles
        server.addConnectListener(client -> client.sendEvent("weird-event", payload));
        // and this after it, the ordinary path
        server.addEventListener("poke", String.class, (client, text, ack) -> client.sendEvent("weird-reply", text, 42));
        Peer ann = connectBare(server.startAndGetPort());

        CustomEventReceived onConnect = ann.events().awaitEver(CustomEventReceived.class, e -> true);
        assertThat(onConnect.name()).isEqualTo("weird-event");
        assertThat(onConnect.source()).isNull();
        // org.json types are gone: nested maps and lists are plain java.util collections
        assertThat(onConnect.args()).containsExactly(payload);

        ann.connection().emitCustom("poke", List.of("hello"));
        CustomEventReceived reply =
                ann.events().await(CustomEventReceived.class, e -> e.name().equals("weird-reply"));
        assertThat(reply.args()).containsExactly("hello", 42);
        assertThat(reply.source()).isNull();
        // each event exactly once, although the library also replays the early one to named listeners
        assertThat(ann.events().all())
                .filteredOn(CustomEventReceived.class::isInstance)
                .hasSize(2);
    }

    @Test
    void cancelledHeartbeatTimersDoNotPileUpWhileMessagesPourIn() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        // within the host's chat rate
        for (int i = 0; i < 40; i++) {
            ann.connection().send(Target.EVERYONE, "burst " + i);
        }
        bob.events().await(MessageReceived.class, m -> m.message().text().equals("burst 39"));

        // engine.io-client restarts its ping-timeout timer on every packet: with the library's own
        // executor each of the 40 cancelled timers would stay queued for 45 s
        Object timers = HeartbeatTimers.current(bob.connection().manager());
        assertThat(timers).isInstanceOf(LazyTimeouts.class);
        var executor = (LazyTimeouts) timers;
        assertThat(executor.waiting()).isEqualTo(1);
        assertThat(executor.armed()).isEqualTo(1);
    }

    @Test
    void oneEventThreadServesAConnectionFromOpenToCloseAndEndsAfterTheLast() throws Exception {
        Peer ann = joinHost();
        Peer bob = joinHost();
        Set<Thread> handlers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        bob.connection().addListener(e -> {
            if (e instanceof MessageReceived) {
                handlers.add(Thread.currentThread());
            }
        });
        // Spaced out, so the library's queue runs empty between messages: left to itself it shuts
        // its executor down each time and starts a new thread for the next message.
        for (int i = 0; i < 8; i++) {
            done(ann.connection().send(Target.EVERYONE, "spaced " + i));
            bob.events().await(MessageReceived.class, m -> m.message().text().startsWith("spaced "));
            Thread.sleep(30);
        }

        assertThat(handlers).hasSize(1);
        Thread eventThread = handlers.iterator().next();
        assertThat(eventThread.getName()).isEqualTo("EventThread");
        assertThat(eventThread.isDaemon()).isTrue();

        ann.connection().close();
        assertThat(eventThread.isAlive()).as("still held by bob's connection").isTrue();
        bob.connection().close();
        assertThat(EventThreadHold.holders()).isZero();
        eventThread.join(5_000);
        assertThat(eventThread.isAlive())
                .as("let go once no connection is open")
                .isFalse();
    }

    @Test
    void tutorialServerThatSendsOnlyTheTextAndNeverAcksSendStillWorks() throws Exception {
        BareServer server = tutorialServer();
        int port = server.startAndGetPort();
        Peer ann = connectBare(port);
        Peer bob = connectBare(port);

        long start = System.nanoTime();
        done(ann.connection().send(Target.EVERYONE, "hi from a tutorial"));
        // completing well before ACK_TIMEOUT shows it did not wait for an ack that never comes
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isLessThan(ClientConnection.ACK_TIMEOUT.toMillis() / 2);

        ChatMessage got = nextMessage(bob);
        assertThat(got.text()).isEqualTo("hi from a tutorial");
        assertThat(got.from()).isNull();
        assertThat(got.id()).isNull();
        assertThat(got.kind()).isEqualTo(MessageKind.EVERYONE);
        assertThat(ann.connection().isParleyHost()).isFalse();
        ann.events().assertNone(MessageReceived.class);

        assertThat(done(bob.connection().joinRoom("design"))).isEqualTo("Joined design");
        done(ann.connection().send(new Target.Room("design"), "room via tutorial"));
        assertThat(nextMessage(bob).text()).isEqualTo("room via tutorial");
    }

    @Test
    void greetingSentFromTheServersConnectHandlerArrivesAsItsText() throws Exception {
        BareServer server = bareServer();
        // netty-socketio sends this before its CONNECT packet; the client library would replay it
        // with "receive-message" in place of the text
        server.addConnectListener(client -> client.sendEvent(ChatEvents.RECEIVE_MESSAGE, "Welcome to the chat"));
        Peer ann = connectBare(server.startAndGetPort());

        ChatMessage greeting =
                ann.events().awaitEver(MessageReceived.class, m -> true).message();

        assertThat(greeting.text()).isEqualTo("Welcome to the chat");
        assertThat(greeting.from()).isNull();
        ann.events().assertNone(MessageReceived.class);
    }

    private BareServer bareServer() {
        BareServer server = new BareServer();
        toClose.add(server::stop);
        return server;
    }

    /** The tutorial's server.js: relays the text alone, acks join-room, never acks send-message. */
    private BareServer tutorialServer() {
        BareServer server = bareServer();
        server.addMultiTypeEventListener(
                ChatEvents.SEND_MESSAGE,
                (client, args, ack) -> {
                    String text = args.get(0);
                    Object room = args.size() > 1 ? args.get(1) : "";
                    if (room == null || "".equals(room)) {
                        server.getBroadcastOperations().sendEvent(ChatEvents.RECEIVE_MESSAGE, client, text);
                    } else {
                        server.getRoomOperations((String) room).sendEvent(ChatEvents.RECEIVE_MESSAGE, client, text);
                    }
                },
                String.class,
                Object.class);
        server.addEventListener(ChatEvents.JOIN_ROOM, String.class, (client, room, ack) -> {
            client.joinRoom(room);
            ack.sendAckData("Joined " + room);
        });
        return server;
    }

    /**
     * A plain netty-socketio server on a free loopback port, with none of Parley's routing: it
     * stands in for other people's Socket.IO servers.
     */
    private static final class BareServer extends SocketIOServer {
        private final CompletableFuture<Integer> boundPort = new CompletableFuture<>();

        BareServer() {
            super(configuration());
        }

        private static Configuration configuration() {
            Configuration c = new Configuration();
            c.setHostname("127.0.0.1");
            c.setPort(0);
            return c;
        }

        int startAndGetPort() throws Exception {
            startAsync().get(5, TimeUnit.SECONDS);
            return boundPort.get(5, TimeUnit.SECONDS);
        }

        @Override
        protected void applyConnectionOptions(ServerBootstrap bootstrap) {
            super.applyConnectionOptions(bootstrap);
            // netty-socketio keeps the server channel to itself; this is the only way to learn port 0's choice
            bootstrap.handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    boundPort.complete(((InetSocketAddress) ctx.channel().localAddress()).getPort());
                    ctx.fireChannelActive();
                }
            });
        }
    }
}
