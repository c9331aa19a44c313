package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.SessionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Node.js socket.io-client 4.8 against a Parley host: every client-visible check of
 * docs/PROTOCOL.md, run by {@code interop/client-contract.mjs} over each transport setup.
 */
class NodeClientInteropTest {
    private HostServer host;
    private int port;
    private final List<SessionEvent> hostEvents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of()));
        host.addListener(hostEvents::add);
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void nodeClientsPassEveryContractCheck(String mode) throws Exception {
        List<JSONObject> checks = NodeProcess.runChecks(
                Duration.ofSeconds(120), () -> "", "client-contract.mjs", "http://127.0.0.1:" + port, mode);
        assertThat(checks)
                .extracting(j -> j.getString("check"))
                .contains(
                        "connect-and-id",
                        "broadcast-empty-room",
                        "broadcast-missing-room",
                        "join-room-ack",
                        "room-members-only",
                        "direct-by-socket-id",
                        "send-message-ack",
                        "send-message-refusal",
                        "receive-message-meta",
                        "custom-event",
                        "ack-several-arguments",
                        "handshake-auth",
                        "leave-room-ack",
                        "list-peers",
                        "peers-changed",
                        "names",
                        "typing",
                        "history");
        // The handshake auth payload of the 'eve' client reached the host (Node: socket.handshake.auth).
        assertThat(hostEvents)
                .filteredOn(SessionEvent.ClientConnected.class::isInstance)
                .map(e -> ((SessionEvent.ClientConnected) e).auth())
                .contains(Map.of("token", "123", "name", "eve"));
        // The seed's custom event reached the host with all of its arguments.
        assertThat(hostEvents)
                .filteredOn(SessionEvent.CustomEventReceived.class::isInstance)
                .map(SessionEvent.CustomEventReceived.class::cast)
                .anySatisfy(custom -> {
                    assertThat(custom.name()).isEqualTo("custom-event");
                    assertThat(custom.args()).containsExactly(10, "Hi", Map.of("a", 1));
                });
    }
}
