package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent.Connected;
import app.parley.session.SessionEvent.MessageReceived;
import app.parley.session.SessionEvent.Notice;
import app.parley.session.SessionEvent.PeersChanged;
import app.parley.session.SessionEvent.StateChanged;
import app.parley.testing.EventLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Host mode end to end: the embedded server, the window's own loopback client and a real joiner. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class HostSessionTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Set<Thread> threadsBefore;

    @BeforeEach
    void rememberThreads() {
        threadsBefore = liveNonDaemonThreads();
    }

    /** Only matters when a test failed half-way; closing twice is harmless. */
    @AfterEach
    void closeLeftovers() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void hostAndJoinerTalkAndEverythingStopsOnClose() throws Exception {
        HostSession host = HostSession.start(HostConfig.loopback(Set.of()));
        toClose.add(host);
        int port = host.server().port();
        EventLog hostEvents = new EventLog();
        host.addListener(hostEvents);
        host.open();

        String hostId = hostEvents.await(Connected.class).socketId();
        assertThat(host.socketId()).isEqualTo(hostId);
        // the first peers list may arrive before Connected, so look back as well as ahead
        hostEvents.awaitEver(PeersChanged.class, p -> p.peers().contains(hostId));

        ClientConnection joiner =
                new ClientConnection(URI.create("http://127.0.0.1:" + port), ClientConnection.Options.defaults());
        toClose.add(joiner);
        EventLog joinerEvents = new EventLog();
        joiner.addListener(joinerEvents);
        joiner.open();
        String joinerId = joinerEvents.await(Connected.class).socketId();
        assertThat(hostEvents
                        .await(PeersChanged.class, p -> p.peers().contains(joinerId))
                        .peers())
                .containsExactlyInAnyOrder(hostId, joinerId);

        host.send(Target.EVERYONE, "hello from the host").get(5, TimeUnit.SECONDS);
        ChatMessage atJoiner = joinerEvents.await(MessageReceived.class).message();
        assertThat(atJoiner.text()).isEqualTo("hello from the host");
        assertThat(atJoiner.from()).isEqualTo(hostId);

        joiner.send(Target.EVERYONE, "hello from the joiner").get(5, TimeUnit.SECONDS);
        ChatMessage atHost = hostEvents.await(MessageReceived.class).message();
        assertThat(atHost.text()).isEqualTo("hello from the joiner");
        assertThat(atHost.from()).isEqualTo(joinerId);

        host.announce("Welcome, everyone");
        for (EventLog events : new EventLog[] {hostEvents, joinerEvents}) {
            ChatMessage announcement = events.await(MessageReceived.class).message();
            assertThat(announcement.text()).isEqualTo("Welcome, everyone");
            assertThat(announcement.kind()).isEqualTo(MessageKind.ANNOUNCEMENT);
        }

        assertThat(host.joinAddresses()).last().isEqualTo("http://localhost:" + port);

        host.close();

        assertThat(joinerEvents.await(Notice.class).text())
                .isEqualTo("The host is closing the session: its owner stopped hosting");
        assertThat(joinerEvents.await(StateChanged.class).state())
                .isIn(ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED);
        joiner.close();
        assertNoThreadsLeftBehind();
    }

    @Test
    void secondHostOnABusyPortSaysSoInWords() throws Exception {
        // any listener will do; a plain ServerSocket spares starting and stopping a second HostServer
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            HostServer second = new HostServer(HostConfig.loopback(Set.of()).withPort(port));
            long presenceTimersBefore = presenceTimers();

            assertThatThrownBy(second::start)
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining(String.valueOf(port));
            assertThat(second.isRunning()).isFalse();
            // nor its presence timer, a daemon thread the check below would not see
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (presenceTimers() > presenceTimersBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(presenceTimers()).isEqualTo(presenceTimersBefore);
        }
        // a failed start must not leave its event loops behind either
        assertNoThreadsLeftBehind();
    }

    /**
     * The JVM exits only when no non-daemon thread is left: after close, every one this test
     * started must end. Netty winds its event loops down in the background, hence the polling.
     */
    private void assertNoThreadsLeftBehind() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Thread> leftover;
        do {
            leftover = liveNonDaemonThreads();
            leftover.removeAll(threadsBefore);
            // JUnit's own @Timeout watcher starts lazily, so it can be missing from the baseline
            leftover.removeIf(t -> t.getName().equals("main") || t.getName().startsWith("junit-"));
            if (leftover.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        String report = leftover.stream()
                .map(t -> t.getName() + " (" + t.getState() + ")\n\tat "
                        + Arrays.stream(t.getStackTrace())
                                .limit(12)
                                .map(String::valueOf)
                                .collect(Collectors.joining("\n\tat ")))
                .collect(Collectors.joining("\n"));
        System.err.println("Threads still running after close:\n" + report);
        throw new AssertionError("Non-daemon threads still running 5 s after close: "
                + leftover.stream().map(Thread::getName).sorted().toList());
    }

    private static long presenceTimers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("parley-presence"))
                .count();
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }
}
