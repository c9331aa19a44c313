package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.join.ClientConnection;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent.Connected;
import app.parley.session.SessionEvent.StateChanged;
import app.parley.testing.EventLog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A joined server that hangs (its process stopped with SIGSTOP, as a frozen or unplugged machine
 * would look) is noticed by the client's ping timeout, and the connection comes back once the
 * server runs again. Against the Node.js reference server ({@code interop/reference-echo-server.mjs}:
 * pingInterval 300 ms, pingTimeout 200 ms), so the timeout is half a second. This is the path of
 * the ping-timeout timer engine.io-client restarts on every packet (join/LazyTimeouts).
 */
class ServerHangInteropTest {
    private ReferenceServer server;
    private ClientConnection connection;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(
                System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "stops the server's process with kill -STOP");
        server = ReferenceServer.start(Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            signal("CONT"); // a stopped process would not see the close
            if (connection != null) {
                connection.close();
            }
            server.close();
        }
    }

    @Test
    void aHungServerIsNoticedWithinItsPingTimeoutAndTheConnectionComesBackWhenItResumes() throws Exception {
        EventLog events = new EventLog();
        connection = new ClientConnection(
                server.base(),
                ClientConnection.Options.builder().transports("websocket").build());
        connection.addListener(events);
        connection.open();
        events.await(Connected.class);
        events.await(StateChanged.class, s -> s.state() == ConnectionState.CONNECTED);

        // Answered pings keep pushing the timeout back: six of them, no timeout.
        Optional<StateChanged> early =
                events.next(StateChanged.class, s -> s.state() != ConnectionState.CONNECTED, 1_800);
        assertThat(early).as("a live server must not time out").isEmpty();

        signal("STOP");
        long stopped = System.nanoTime();
        StateChanged lost = events.await(StateChanged.class, s -> s.state() != ConnectionState.CONNECTED);
        long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        assertThat(lost.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lost.detail()).contains("ping timeout");
        // at most pingInterval + pingTimeout after the last ping, with room for a busy machine
        assertThat(noticedMillis).isLessThan(EventLog.WAIT_MILLIS);

        signal("CONT");
        events.await(Connected.class);
        assertThat(events.await(StateChanged.class, s -> s.state() == ConnectionState.CONNECTED)
                        .state())
                .isEqualTo(ConnectionState.CONNECTED);
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + name).isZero();
    }
}
