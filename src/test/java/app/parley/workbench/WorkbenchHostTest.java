package app.parley.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.workbench.LogEntry.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workbench against a real Parley host over loopback: what it sends is what the host sees. */
class WorkbenchHostTest {
    private HostServer host;
    private WorkbenchConnection connection;
    private final Entries log = new Entries();

    @BeforeEach
    void start() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of("http://localhost:8080")));
        int port = host.start();
        connection = WorkbenchConnection.open(
                ConnectionSpec.defaults()
                        .withUrl("http://127.0.0.1:" + port)
                        .withAuth("{\"name\": \"Bench\", \"client\": {\"tool\": \"workbench\", \"caps\": [\"acks\"]}}"),
                log);
        connection.connect();
        log.awaitKind(Kind.CONNECT);
    }

    @AfterEach
    void stop() {
        connection.close();
        host.close();
    }

    @Test
    void nestedAuthReachesTheHostAsAnObject() {
        Object auth = host.handshakeAuth(connection.id()).orElseThrow();
        assertThat(auth).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) auth;
        assertThat(map)
                .containsEntry("name", "Bench")
                .containsEntry("client", Map.of("tool", "workbench", "caps", List.of("acks")));
    }

    @Test
    void emitWithAckShowsTheHostsAnswerAndTheGrantedName() throws Exception {
        connection.emit("custom-event", List.of(10, "Hi", Map.of("a", 1)), Duration.ofSeconds(5));
        LogEntry ack = log.await(
                "the custom-event ack", e -> e.kind() == Kind.ACK && e.event().equals("custom-event"));
        assertThat(ack.args()).containsExactly("Received custom-event", 10, "Hi", Map.of("a", 1));
        assertThat(ack.rttMillis()).isBetween(0L, 5_000L);

        connection.emit("list-peers", List.of(), Duration.ofSeconds(5));
        LogEntry peers = log.await(
                "the list-peers ack", e -> e.kind() == Kind.ACK && e.event().equals("list-peers"));
        assertThat(Payloads.compact(peers.args())).contains("\"" + connection.id() + "\":\"Bench\"");
    }

    @Test
    void theHostsRefusalArrivesAsAnEventInTheLog() throws Exception {
        assertThatThrownBy(() -> connection.emit("connect", List.of(), null)).hasMessageContaining("reserved");
        connection.emit("peers", List.of(), null);
        LogEntry refusal = log.awaitIn("parley-error");
        assertThat(Payloads.compact(refusal.args())).contains("reserved");
    }
}
