package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.admin.AdminAccount;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Admin UI's server protocol on {@code /admin} (docs/PROTOCOL.md §17), driven by the
 * real Node socket.io-client as the UI drives it: {@code admin-protocol.mjs}, on each transport.
 */
class AdminProtocolInteropTest {
    static final String USER = "admin";
    static final String PASSWORD = "correct horse battery staple";

    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of()));
        host.enableAdmin(new AdminAccount(USER, PASSWORD));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void theAdminProtocolReportsAndActsOnChatSockets(String mode) throws Exception {
        try (NodeProcess script =
                NodeProcess.start("admin-protocol.mjs", "http://127.0.0.1:" + port, USER, PASSWORD, mode)) {
            int exit = script.awaitExit(Duration.ofSeconds(90));
            assertThat(exit)
                    .as("admin-protocol.mjs %s exited %d:\n%s", mode, exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines())
                    .extracting(j -> j.getString("check"))
                    .contains(
                            "wrong-credentials-refused",
                            "foreign-origin-refused",
                            "config-features",
                            "session-id-logs-in-again",
                            "forged-session-id-refused",
                            "all-sockets-lists-chat-client",
                            "socket-connected",
                            "room-joined",
                            "room-left",
                            "server-stats",
                            "admin-not-a-chat-user",
                            "join-command-takes-effect",
                            "leave-command-takes-effect",
                            "emit-command-reaches-its-filter-only",
                            "all-events",
                            "malformed-commands-refused",
                            "nobody-affected",
                            "disconnect-command-takes-effect",
                            "socket-disconnected");
        }
    }
}
