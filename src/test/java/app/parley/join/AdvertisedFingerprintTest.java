package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joining a TLS host found on the network: the certificate must be the one its advertisement
 * named (else refused loudly, and nothing remembered), unless known hosts already remembers one
 * for the address, which still decides.
 */
@SuppressWarnings("try") // each joiner is opened for the events it reports, and closed by its try
class AdvertisedFingerprintTest {
    private static final String IMPOSTOR =
            "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    @TempDir
    Path dir;

    private HostServer host;
    private int port;
    private String real;

    @BeforeEach
    void startTlsHost() {
        host = new HostServer(HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("host.p12"), null)));
        port = host.start();
        real = host.tlsFingerprint().orElseThrow();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @Test
    void theAdvertisedCertificateIsAcceptedAndRemembered() throws Exception {
        Path knownHosts = dir.resolve("known-hosts");
        BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
        try (ClientConnection client = join(knownHosts, real.toLowerCase(java.util.Locale.ROOT), events)) {
            awaitState(events, ConnectionState.CONNECTED);
        }
        assertThat(Files.readString(knownHosts)).contains("127.0.0.1:" + port + " " + real);
    }

    @Test
    void anotherCertificateThanAdvertisedIsRefusedLoudly() throws Exception {
        Path knownHosts = dir.resolve("known-hosts");
        BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
        try (ClientConnection client = join(knownHosts, IMPOSTOR, events)) {
            SessionEvent.StateChanged refused = awaitState(events, ConnectionState.DISCONNECTED);
            assertThat(refused.detail())
                    .contains("NOT the one it announced")
                    .contains(IMPOSTOR)
                    .contains(real);
            assertThat(host.connectedIds()).isEmpty();
        }
        assertThat(knownHosts)
                .as("nothing remembered from a refused certificate")
                .doesNotExist();
    }

    @Test
    void aCertificateAlreadyRememberedStillDecides() throws Exception {
        Path knownHosts = dir.resolve("known-hosts");
        Files.writeString(knownHosts, "127.0.0.1:" + port + " " + real + "\n");
        BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
        try (ClientConnection client = join(knownHosts, IMPOSTOR, events)) {
            awaitState(events, ConnectionState.CONNECTED);
        }
    }

    private ClientConnection join(Path knownHosts, String advertised, BlockingQueue<SessionEvent> events) {
        ClientConnection client = new ClientConnection(
                URI.create("https://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .transports("websocket")
                        .knownHosts(knownHosts)
                        .advertisedFingerprint(advertised)
                        .build());
        client.addListener(events::add);
        client.open();
        return client;
    }

    private static SessionEvent.StateChanged awaitState(BlockingQueue<SessionEvent> events, ConnectionState state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<SessionEvent> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            SessionEvent next = events.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                seen.add(next);
                if (next instanceof SessionEvent.StateChanged changed && changed.state() == state) {
                    return changed;
                }
            }
        }
        throw new AssertionError("no " + state + " within 10 s; saw " + seen);
    }
}
