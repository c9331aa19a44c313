package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.admin.AdminAccount;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin namespace is held to the host's password rule (docs/PROTOCOL.md §17): guessing at the
 * admin login counts in the same guard as the chat password, so an address that guesses at one is
 * shut out of both, while the right credentials from elsewhere still work.
 */
class AdminGuardTest {
    private static final String GUESSER = "127.0.0.2";
    private static final String ADMIN = "127.0.0.3";

    private HostServer host;
    private int port;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        host = new HostServer(HostConfig.loopback(Set.of()).withPassword("chat password"));
        host.enableAdmin(new AdminAccount("root", "admin password"));
        port = host.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        host.close();
    }

    private RawClient client(String path, String from, Map<String, Object> auth) {
        RawClient client = new RawClient(
                URI.create("http://127.0.0.1:" + port + path), new String[] {"websocket"}, Map.of(), auth, from);
        clients.add(client);
        client.socket().connect();
        return client;
    }

    private String adminRefusal(String from, String password) throws Exception {
        return String.valueOf(client("/admin", from, Map.of("username", "root", "password", password))
                .awaitConnectError());
    }

    @Test
    void guessingAtTheAdminLoginShutsTheAddressOutOfTheChatToo() throws Exception {
        for (int i = 0; i <= PasswordGuard.FREE_FAILURES; i++) {
            assertThat(adminRefusal(GUESSER, "guess " + i)).contains("invalid credentials");
        }
        assertThat(adminRefusal(GUESSER, "admin password")).contains("too many wrong passwords");
        assertThat(String.valueOf(
                        client("", GUESSER, Map.of("password", "chat password")).awaitConnectError()))
                .contains("too many wrong passwords");

        // The right credentials from another address: in, and not a chat user.
        RawClient admin = client("/admin", ADMIN, Map.of("username", "root", "password", "admin password"));
        assertThat(admin.awaitId()).isNotBlank();
        // The host lists a socket once its connect listeners ran, which may be just after the client heard CONNECT.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (host.sockets().sockets("/admin").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(host.connectedIds()).isEmpty();
        assertThat(host.sockets().sockets("/admin")).hasSize(1);
    }

    @Test
    void theAdminLoginNeedsTheAdminsNameToo() throws Exception {
        assertThat(String.valueOf(client("/admin", ADMIN, Map.of("username", "someone", "password", "admin password"))
                        .awaitConnectError()))
                .contains("invalid credentials");
        // The chat password is not an admin password.
        assertThat(String.valueOf(client("/admin", ADMIN, Map.of("password", "chat password"))
                        .awaitConnectError()))
                .contains("invalid credentials");
    }
}
