package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import app.parley.session.SessionException;
import app.parley.testing.CuttingProxy;
import app.parley.testing.EventLog;
import app.parley.testing.RawClient;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox over loopback: messages written while the host is out of reach wait, survive the
 * app closing, go when the host is back, once; a message nobody acknowledges fails in bounded
 * time and Retry delivers it once; the status says when the next attempt is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryTest {
    @TempDir
    Path dir;

    private HostServer host;
    private CuttingProxy proxy;
    private int deadPort;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withHistory(dir.resolve("history.db")));
        host.start();
        proxy = new CuttingProxy(host.port());
        try (ServerSocket closed = new ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        proxy.close();
        host.close();
    }

    private ClientConnection client(Identity identity, Duration deadline, EventLog events) {
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + proxy.port()),
                ClientConnection.Options.builder()
                        .identity(identity)
                        .outboxes(dir.resolve("outbox"))
                        .reconnectDelay(Duration.ofMillis(200))
                        .deliveryDeadline(deadline)
                        .build());
        toClose.add(connection);
        connection.addListener(events);
        return connection;
    }

    private RawClient listener() throws Exception {
        RawClient peer = RawClient.connect(host.port());
        toClose.add(peer);
        peer.awaitId();
        return peer;
    }

    /** The host goes out of reach: new connections are refused and open ones are reset. */
    private void unplug() {
        proxy.target(deadPort);
        proxy.cutAll();
    }

    private void plugBackIn() {
        proxy.target(host.port());
    }

    @Test
    void writtenOfflineItWaitsSurvivesTheAppClosingAndGoesOnceWhenTheHostIsBack() throws Exception {
        Identity ann = new Identity("Ann", UUID.randomUUID().toString());
        EventLog events = new EventLog();
        ClientConnection first = client(ann, Duration.ofSeconds(30), events);
        first.open();
        waitFor(first::isParleyHost);
        RawClient peer = listener();

        unplug();
        events.await(SessionEvent.StateChanged.class, s -> s.state() == ConnectionState.RECONNECTING);
        CompletableFuture<Void> offline = first.send(Target.EVERYONE, "written offline");
        assertThat(offline).isNotDone();
        assertThat(first.pending()).extracting(p -> p.text()).containsExactly("written offline");
        first.close(); // the app quits with the message unsent

        ClientConnection second = client(ann, Duration.ofSeconds(30), new EventLog());
        assertThat(second.pending())
                .as("the outbox is kept on disk")
                .extracting(p -> p.text())
                .containsExactly("written offline");
        plugBackIn();
        second.open();
        Object[] got = peer.nextMessage();
        assertThat(got[0]).isEqualTo("written offline");
        waitFor(() -> second.pending().isEmpty());
        assertThat(peer.nextMessage(1_000)).as("delivered once").isNull();
    }

    @Test
    void whatCameWhileAwayArrivesAlthoughNothingHadBeenSeenBefore() throws Exception {
        // Ann saw no message in Everyone or in #ops before she lost her connection: the host's
        // caught-up told her where each stood, so her resume still names them.
        EventLog events = new EventLog();
        ClientConnection ann =
                client(new Identity("Ann", UUID.randomUUID().toString()), Duration.ofSeconds(30), events);
        ann.open();
        waitFor(ann::isParleyHost);
        ann.joinRoom("ops").get(10, TimeUnit.SECONDS);
        RawClient bob = listener();

        unplug();
        events.await(SessionEvent.StateChanged.class, s -> s.state() == ConnectionState.RECONNECTING);
        bob.request(ChatEvents.SEND_MESSAGE, "to everyone while Ann is away", "");
        bob.request(ChatEvents.SEND_MESSAGE, "to ops while Ann is away", "ops");
        plugBackIn();

        assertThat(events.awaitEver(
                                SessionEvent.MessageReceived.class,
                                m -> m.message().text().endsWith("everyone while Ann is away"))
                        .message()
                        .kind())
                .isEqualTo(app.parley.protocol.MessageKind.EVERYONE);
        assertThat(events.awaitEver(
                                SessionEvent.MessageReceived.class,
                                m -> m.message().text().endsWith("ops while Ann is away"))
                        .message()
                        .room())
                .isEqualTo("ops");
    }

    @Test
    void unacknowledgedItFailsInBoundedTimeAndRetryDeliversItOnce() throws Exception {
        EventLog events = new EventLog();
        ClientConnection ann = client(new Identity("Ann", UUID.randomUUID().toString()), Duration.ofSeconds(1), events);
        ann.open();
        waitFor(ann::isParleyHost);
        RawClient peer = listener();

        unplug();
        events.await(SessionEvent.StateChanged.class, s -> s.state() == ConnectionState.RECONNECTING);
        String clientId = UUID.randomUUID().toString();
        CompletableFuture<Void> attempt = ann.send(Target.EVERYONE, "are you there?", clientId);
        try {
            attempt.get(10, TimeUnit.SECONDS);
            throw new AssertionError("delivered with the host out of reach");
        } catch (ExecutionException e) {
            assertThat(e.getCause())
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("Not delivered")
                    .hasMessageContaining("Retry");
        }
        assertThat(ann.pending()).isEmpty();

        plugBackIn();
        // Retry as a person would, once the window says connected again: after the host's list of
        // who is here, which is when the outbox may go (the deadline is 1 s from the press).
        events.await(SessionEvent.StateChanged.class, s -> s.state() == ConnectionState.CONNECTED);
        events.await(SessionEvent.PeersChanged.class);
        ann.send(Target.EVERYONE, "are you there?", clientId).get(10, TimeUnit.SECONDS);
        // The same id again (a second press of Retry): acked, not delivered twice.
        ann.send(Target.EVERYONE, "are you there?", clientId).get(10, TimeUnit.SECONDS);
        assertThat(peer.nextMessage()[0]).isEqualTo("are you there?");
        assertThat(peer.nextMessage(1_000)).isNull();
    }

    @Test
    void whileReconnectingTheStatusSaysWhenAndRetryNowTriesAtOnce() throws Exception {
        EventLog events = new EventLog();
        ClientConnection ann = new ClientConnection(
                URI.create("http://127.0.0.1:" + proxy.port()),
                ClientConnection.Options.builder()
                        .reconnectDelay(Duration.ofSeconds(20))
                        .build());
        toClose.add(ann);
        ann.addListener(events);
        ann.open();
        waitFor(ann::isParleyHost);

        unplug();
        SessionEvent.StateChanged waiting = events.await(
                SessionEvent.StateChanged.class,
                s -> s.state() == ConnectionState.RECONNECTING && s.detail().contains("Reconnecting in"));
        assertThat(waiting.detail()).matches(".*Reconnecting in \\d+ s\\.");
        plugBackIn();
        ann.retryNow();
        // Well before the 10-30 s the schedule asked for.
        String id = events.await(SessionEvent.Connected.class).socketId();
        waitFor(() -> host.connectedIds().contains(id));
    }

    @Test
    void aTutorialClientWithoutIdsStillChats() throws Exception {
        RawClient tutorial = listener();
        RawClient other = listener();
        // socket.emit('send-message', message, room): no ack, no id, no resume
        tutorial.socket().emit(ChatEvents.SEND_MESSAGE, "plain old message", "");
        assertThat(other.nextMessage()[0]).isEqualTo("plain old message");
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(25);
        }
    }
}
