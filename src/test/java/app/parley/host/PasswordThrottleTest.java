package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.conformance.RawWebSocket;
import app.parley.testing.RawClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Password guessing is slowed per address and per connection; the right password keeps working for others. */
class PasswordThrottleTest {
    private static final String GUESSER = "127.0.0.2";
    private static final String MEMBER = "127.0.0.3";

    private HostServer host;
    private int port;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        host = new HostServer(HostConfig.loopback(Set.of()).withPassword("s3cret"));
        port = host.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        host.close();
    }

    private String refusal(String from, String password) throws Exception {
        RawClient client = new RawClient(
                URI.create("http://127.0.0.1:" + port),
                new String[] {"websocket"},
                Map.of(),
                Map.of("password", password),
                from);
        clients.add(client);
        client.socket().connect();
        return String.valueOf(client.awaitConnectError());
    }

    private void joins(String from) throws Exception {
        RawClient client = new RawClient(
                URI.create("http://127.0.0.1:" + port),
                new String[] {"websocket"},
                Map.of(),
                Map.of("password", "s3cret"),
                from);
        clients.add(client);
        client.socket().connect();
        assertThat(client.awaitId()).isNotBlank();
    }

    @Test
    void anAddressThatKeepsGuessingIsShutOutForLongerEachTime() throws Exception {
        for (int i = 0; i < PasswordGuard.FREE_FAILURES; i++) {
            assertThat(refusal(GUESSER, "guess-" + i)).contains("wrong password");
        }
        assertThat(refusal(GUESSER, "one guess too many")).contains("wrong password");
        // Now even the right password from that address is refused unchecked, with when to come back.
        assertThat(refusal(GUESSER, "s3cret")).contains("too many wrong passwords, try again in 1 s");
        // Meanwhile someone else gets in with it.
        joins(MEMBER);

        Thread.sleep(1_100);
        assertThat(refusal(GUESSER, "still guessing")).contains("wrong password");
        assertThat(refusal(GUESSER, "s3cret")).contains("too many wrong passwords, try again in 2 s");
        Thread.sleep(2_100);
        joins(GUESSER);
    }

    @Test
    void aConnectionThatSendsThreeWrongPasswordsIsClosed() {
        try (RawWebSocket socket =
                RawWebSocket.open(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"))) {
            assertThat(socket.nextText(Duration.ofSeconds(5))).startsWith("0{");
            for (int i = 0; i < PasswordGuard.MAX_FAILURES_PER_CONNECTION; i++) {
                socket.sendText("40{\"password\":\"guess-" + i + "\"}");
                assertThat(socket.nextText(Duration.ofSeconds(5)))
                        .startsWith("44")
                        .contains("wrong password");
            }
            RawWebSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(5));
            assertThat(closed).as("the connection is closed after its tries").isNotNull();
            assertThat(closed.reason()).contains("wrong passwords on one connection");
        }
    }
}
