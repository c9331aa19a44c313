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
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
    @SuppressWarnings("try") // two joiners are opened only for the events they report, and closed by their try
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
                assertThat(ann.send(new Target.Everyone(), "over TLS").get(WAIT, TimeUnit.SECONDS))
                        .isNull();
            }
            // A second visit: the same certificate, nothing to say.
            BlockingQueue<SessionEvent> again = new LinkedBlockingQueue<>();
            try (ClientConnection ann = join(port, knownHosts, again)) {
                awaitState(again, ConnectionState.CONNECTED);
                assertThat(again)
                        .noneMatch(e ->
                                e instanceof SessionEvent.Notice n && n.text().contains("First secure"));
            }
        }

        // Another certificate on the same address: refused, said loudly, not retried.
        HostConfig impostor =
                HostConfig.loopback(Set.of()).withPort(port).withTls(new HostConfig.Tls(dir.resolve("two.p12"), null));
        try (HostServer host = new HostServer(impostor)) {
            host.start();
            assertThat(host.tlsFingerprint().orElseThrow()).isNotEqualTo(fingerprint);
            BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
            try (ClientConnection ann = join(port, knownHosts, events)) {
                SessionEvent.StateChanged refused = awaitState(events, ConnectionState.DISCONNECTED);
                assertThat(refused.detail())
                        .contains("CHANGED")
                        .contains(fingerprint)
                        .contains(knownHosts.toString());
                assertThat(host.connectedIds()).isEmpty();
                assertThat(events.poll(3, TimeUnit.SECONDS))
                        .as("no retry after a changed certificate")
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
            assertThat(session.certificateFingerprint())
                    .contains(session.server().tlsFingerprint().orElseThrow());
        } finally {
            session.close();
        }
    }

    @Test
    void onlyTls12AndNewerAreOffered() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("old.p12"), null));
        try (HostServer host = new HostServer(config)) {
            int port = host.start();
            // The JDK's own client will not even offer TLS 1.0 or 1.1 (jdk.tls.disabledAlgorithms),
            // so these hellos are written by hand. The same hello offering TLS 1.2 is answered,
            // which shows the refusals are for the version and not for a malformed hello.
            assertThat(TlsHello.answer(port, TlsHello.offering(0x0303))).isEqualTo("ServerHello 0303");
            assertThat(TlsHello.answer(port, TlsHello.offering(0x0302)))
                    .as("TLS 1.1")
                    .isEqualTo("alert 70");
            assertThat(TlsHello.answer(port, TlsHello.offering(0x0301)))
                    .as("TLS 1.0")
                    .isEqualTo("alert 70");

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
        }
    }

    @Test
    void aClientThatRenegotiatesIsDisconnectedAndOthersCarryOn() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("reneg.p12"), null));
        try (HostServer host = new HostServer(config)) {
            int port = host.start();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                // A second handshake on the established session: the JDK's client sends its
                // ClientHello at once and finishes the handshake while reading the answer.
                socket.startHandshake();
                assertThat(pollingStatus(socket))
                        .as("the answer after a renegotiation")
                        .isEqualTo("closed");
            }
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                    socket.setSoTimeout(5_000);
                    socket.setEnabledProtocols(new String[] {protocol});
                    socket.startHandshake();
                    assertThat(pollingStatus(socket)).as(protocol).isEqualTo("HTTP/1.1 200 OK");
                }
            }
        }
    }

    @Test
    void theGeneratedCertificateNamesThisMachineAndIsALeaf() throws Exception {
        Path store = dir.resolve("named.p12");
        X509Certificate certificate = new HostConfig.Tls(store, null).identity().certificate();

        assertThat(certificate.getSubjectAlternativeNames())
                .as("subjectAltName")
                .isNotNull();
        List<List<?>> names = List.copyOf(certificate.getSubjectAlternativeNames());
        assertThat(names).contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        for (String address : JoinAddresses.certificateNames()) {
            if (address.contains(":") || address.matches("[0-9.]+")) {
                String asJavaWritesIt = java.net.InetAddress.getByName(address).getHostAddress();
                assertThat(names).as(address).contains(List.of(7, asJavaWritesIt));
            } else {
                assertThat(names).as(address).contains(List.of(2, address));
            }
        }
        // A leaf, said critically (getBasicConstraints is -1 when the extension is missing too).
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        // A client that checks host names (as browsers and Node do) and trusts this certificate
        // accepts it at localhost and 127.0.0.1.
        try (HostServer host = new HostServer(HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(store, null)))) {
            int port = host.start();
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("host", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            for (String name : List.of("localhost", "127.0.0.1")) {
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(name, port)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(certificate);
                }
            }
        }
    }

    @Test
    void aKeyStoreMadeBeforeIsKeptAsItIs() throws Exception {
        // A certificate from before it named anything: joiners pinned it, so it stays.
        Path store = dir.resolve("before.p12");
        Files.writeString(dir.resolve("before.p12.password"), "an older password");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-noprompt",
                        "-alias",
                        "parley-host",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "3650",
                        "-dname",
                        "CN=Parley host",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "an older password")
                .redirectErrorStream(true)
                .start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("keytool")
                .isTrue();
        byte[] before = Files.readAllBytes(store);

        X509Certificate certificate = new HostConfig.Tls(store, null).identity().certificate();
        assertThat(certificate.getSubjectAlternativeNames()).isNull();
        assertThat(Files.readAllBytes(store)).isEqualTo(before);
    }

    /**
     * Sends an Engine.IO polling handshake and returns the answer's status line, or
     * {@code "closed"} when the host closed the connection instead.
     */
    private static String pollingStatus(SSLSocket socket) {
        try {
            socket.getOutputStream()
                    .write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Connection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            for (int c = socket.getInputStream().read();
                    c != -1 && c != '\r';
                    c = socket.getInputStream().read()) {
                line.append((char) c);
            }
            return line.length() == 0 ? "closed" : line.toString();
        } catch (java.net.SocketTimeoutException e) {
            return "no answer within 5 s";
        } catch (java.io.IOException e) {
            return "closed";
        }
    }

    @Test
    void aPlainHttpClientGetsNoAnswer() throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("plain.p12"), null));
        try (HostServer host = new HostServer(config)) {
            int port = host.start();
            assertThatThrownBy(() -> app.parley.conformance.RawHttp.once(
                            URI.create("http://127.0.0.1:" + port), "GET", "/socket.io/?EIO=4&transport=polling", null))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private static ClientConnection join(int port, Path knownHosts, BlockingQueue<SessionEvent> events) {
        ClientConnection client = new ClientConnection(
                URI.create("https://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .transports("polling", "websocket")
                        .knownHosts(knownHosts)
                        .build());
        client.addListener(events::add);
        client.open();
        return client;
    }

    private static SessionEvent.StateChanged awaitState(BlockingQueue<SessionEvent> events, ConnectionState state)
            throws InterruptedException {
        return (SessionEvent.StateChanged) await(
                events, e -> e instanceof SessionEvent.StateChanged s && s.state() == state);
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
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
