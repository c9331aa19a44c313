package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.join.ClientConnection;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosting over TLS with Parley's own certificate, and joining with trust on first use: over real
 * loopback sockets, with a real key store made by the JDK's keytool in a temporary directory.
 */
class HostTlsTest {
    private static final long WAIT = 10;

    @TempDir
    Path dir;

    @Test
    void aJoinerPinsTheCertificateOnFirstUseAndRefusesAChangedOneLoudly() throws Exception {
        Path knownHosts = dir.resolve("known-hosts");
        HostConfig first = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("one.p12"), null));
        int port;
        String fingerprint;
        try (HostServer host = new HostServer(first)) {
            port = host.start();
            fingerprint = host.tlsFingerprint().orElseThrow();
            assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
            // The key store and its password are the owner's alone.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("one.p12"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("one.p12.password"))))
                    .isEqualTo("rw-------");

            BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
            try (ClientConnection ann = join(port, knownHosts, events)) {
                // The notice comes during the TLS handshake, before the connection is up.
                SessionEvent.Notice notice = (SessionEvent.Notice) await(events, e -> e instanceof SessionEvent.Notice);
                awaitState(events, ConnectionState.CONNECTED);
                assertThat(notice.text()).contains("First secure connection").contains(fingerprint);
                assertThat(Files.readString(knownHosts)).contains("127.0.0.1:" + port + " " + fingerprint);
                assertThat(ann.send(new Target.Everyone(), "over TLS").get(WAIT, TimeUnit.SECONDS)).isNull();
            }
            // A second visit: the same certificate, nothing to say.
            BlockingQueue<SessionEvent> again = new LinkedBlockingQueue<>();
            try (ClientConnection ann = join(port, knownHosts, again)) {
                awaitState(again, ConnectionState.CONNECTED);
                assertThat(again).noneMatch(e -> e instanceof SessionEvent.Notice n && n.text().contains("First secure"));
            }
        }

        // Another certificate on the same address: refused, said loudly, not retried.
        HostConfig impostor = HostConfig.loopback(Set.of()).withPort(port)
                .withTls(new HostConfig.Tls(dir.resolve("two.p12"), null));
        try (HostServer host = new HostServer(impostor)) {
            host.start();
            assertThat(host.tlsFingerprint().orElseThrow()).isNotEqualTo(fingerprint);
            BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
            try (ClientConnection ann = join(port, knownHosts, events)) {
                SessionEvent.StateChanged refused = awaitState(events, ConnectionState.DISCONNECTED);
                assertThat(refused.detail()).contains("CHANGED").contains(fingerprint).contains(knownHosts.toString());
                assertThat(host.connectedIds()).isEmpty();
                assertThat(events.poll(3, TimeUnit.SECONDS)).as("no retry after a changed certificate")
                        .isNull();
            }
        }
    }

    @Test
    void theHostsOwnWindowTrustsItsCertificateAndAnnouncesHttpsAddresses() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("host.p12"), null));
        HostSession session = HostSession.start(config);
        try {
            BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
            session.addListener(events::add);
            session.open();
            awaitState(events, ConnectionState.CONNECTED);
            assertThat(session.joinAddresses()).allMatch(url -> url.startsWith("https://"));
            assertThat(session.certificateFingerprint()).contains(session.server().tlsFingerprint().orElseThrow());
        } finally {
            session.close();
        }
    }

    @Test
    void onlyTls12AndNewerAreOffered() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("old.p12"), null));
        try (HostServer host = new HostServer(config)) {
            int port = host.start();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            for (String old : List.of("TLSv1", "TLSv1.1")) {
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                    socket.setSoTimeout(5_000);
                    socket.setEnabledProtocols(new String[] {old});
                    assertThatThrownBy(socket::startHandshake).as(old).isInstanceOf(javax.net.ssl.SSLException.class);
                } catch (IllegalArgumentException notEvenSupportedHere) {
                    // this JVM cannot speak it at all: refused all the same
                }
            }
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
        }
    }

    @Test
    void aPlainHttpClientGetsNoAnswer() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("plain.p12"), null));
        try (HostServer host = new HostServer(config)) {
            int port = host.start();
            assertThatThrownBy(() -> app.parley.conformance.RawHttp.once(URI.create("http://127.0.0.1:" + port), "GET",
                    "/socket.io/?EIO=4&transport=polling", null)).isInstanceOf(java.io.IOException.class);
        }
    }

    private static ClientConnection join(int port, Path knownHosts, BlockingQueue<SessionEvent> events) {
        ClientConnection client = new ClientConnection(URI.create("https://127.0.0.1:" + port),
                ClientConnection.Options.defaults().withTransports("polling", "websocket").withKnownHosts(knownHosts));
        client.addListener(events::add);
        client.open();
        return client;
    }

    private static SessionEvent.StateChanged awaitState(BlockingQueue<SessionEvent> events, ConnectionState state)
            throws InterruptedException {
        return (SessionEvent.StateChanged) await(events, e -> e instanceof SessionEvent.StateChanged s && s.state() == state);
    }

    private static SessionEvent await(BlockingQueue<SessionEvent> events, Predicate<SessionEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        List<SessionEvent> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            SessionEvent next = events.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                seen.add(next);
                if (wanted.test(next)) {
                    return next;
                }
            }
        }
        throw new AssertionError("not seen within " + WAIT + " s; saw " + seen);
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

}
