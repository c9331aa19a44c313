package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.join.ClientConnection;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent.Connected;
import app.parley.session.SessionEvent.StateChanged;
import app.parley.testing.EventLog;
import java.net.URI;
import java.time.Duration;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Node.js socket.io server that ends a connection cleanly ({@code socket.conn.close()}, or
 * {@code io.close()} for all) sends a WebSocket close frame and keeps running
 * ({@code interop/closing-server.mjs}, Node's default heartbeat). Parley's client must take that
 * as the connection gone and reconnect at once, not sit on the half-open socket until its ping
 * timeout, 45 s later (join/CloseReplies).
 */
class ServerCloseInteropTest {
    private NodeProcess server;
    private ClientConnection connection;

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aConnectionTheServerClosesCleanlyIsSeenGoneAtOnceAndComesBack() throws Exception {
        server = NodeProcess.start("closing-server.mjs");
        int port = server.awaitEvent("listening", Duration.ofSeconds(15)).getInt("port");
        EventLog events = new EventLog();
        connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                ClientConnection.Options.builder().transports("websocket").build());
        connection.addListener(events);
        connection.open();
        String first = events.await(Connected.class).socketId();
        events.await(StateChanged.class, s -> s.state() == ConnectionState.CONNECTED);
        server.awaitEvent("connection", Duration.ofSeconds(5));

        server.send(new JSONObject().put("op", "close-all"));
        assertThat(server.awaitEvent("closed", Duration.ofSeconds(5)).getInt("sessions"))
                .isEqualTo(1);

        // Within EventLog's 5 s, not the 45 s of a ping timeout.
        StateChanged lost = events.await(StateChanged.class, s -> s.state() != ConnectionState.CONNECTED);
        assertThat(lost.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lost.detail()).doesNotContain("ping timeout");
        assertThat(events.await(Connected.class).socketId()).isNotEqualTo(first);
        events.await(StateChanged.class, s -> s.state() == ConnectionState.CONNECTED);
    }
}
