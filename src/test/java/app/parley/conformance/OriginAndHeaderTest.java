package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The origin check against real hosts, on the raw wire, for the polling handshake and the
 * WebSocket upgrade alike: headers too large for the decoder are refused rather than served cut
 * (the {@code Origin} after them was never checked); a page's own address is never cross-origin,
 * whatever the allow-list says; and a host open to every origin ({@code --origins '*'}) answers
 * {@code *} without credentials instead of echoing each origin, {@code null} included.
 */
class OriginAndHeaderTest {
    private static final String SIO = "/socket.io/";
    private static final String EVIL = "Origin: http://evil.example";
    private static final String SEED_PAGE = "http://localhost:8080";

    /** Allows the seed's page only. */
    private static HostServer listed;

    private static URI listedBase;
    /** {@code --origins '*'}. */
    private static HostServer open;

    private static URI openBase;

    @BeforeAll
    static void start() {
        listed = new HostServer(HostConfig.loopback(Set.of(SEED_PAGE)));
        listedBase = URI.create("http://127.0.0.1:" + listed.start());
        open = new HostServer(HostConfig.loopback(Set.of("*")));
        openBase = URI.create("http://127.0.0.1:" + open.start());
    }

    @AfterAll
    static void stop() {
        if (listed != null) {
            listed.close();
        }
        if (open != null) {
            open.close();
        }
    }

    // ---- headers the decoder cannot read whole ----

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void headersOverTheLimitAreRefusedWith431NotServedWithoutTheirOrigin(String transport) throws Exception {
        try (RawExchange raw = RawExchange.connect(listedBase)) {
            raw.send(handshake(transport, host(listedBase), padding(20), EVIL));
            RawExchange.Response response = raw.response(Wire.WAIT);
            assertThat(response.status()).as("%s", response).isEqualTo(431);
            assertThat(response.body()).contains("request headers larger than 16384 bytes");
            assertThat(raw.closedWithin(Wire.WAIT)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void twelveKilobytesOfHeadersAreReadWholeOriginIncluded(String transport) throws Exception {
        RawExchange.Response evil = ask(listedBase, handshake(transport, host(listedBase), padding(12), EVIL));
        assertThat(evil.status()).as("%s", evil).isEqualTo(403);
        RawExchange.Response seed =
                ask(listedBase, handshake(transport, host(listedBase), padding(12), "Origin: " + SEED_PAGE));
        assertAccepted(transport, seed);
    }

    @Test
    void aRequestLineOverTheLimitGets414() throws Exception {
        try (RawExchange raw = RawExchange.connect(listedBase)) {
            raw.send(RawExchange.request(
                    "GET", SIO + "?EIO=4&transport=polling&pad=" + "x".repeat(5_000), host(listedBase)));
            RawExchange.Response response = raw.response(Wire.WAIT);
            assertThat(response.status()).as("%s", response).isEqualTo(414);
            assertThat(raw.closedWithin(Wire.WAIT)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void anAllowedOriginWithOrdinaryHeadersStillConnects(String transport) throws Exception {
        assertAccepted(transport, ask(listedBase, handshake(transport, host(listedBase), "Origin: " + SEED_PAGE)));
        assertAccepted(transport, ask(listedBase, handshake(transport, host(listedBase))));
    }

    // ---- same origin ----

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aPageOnTheHostsOwnAddressIsNotCrossOrigin(String transport) throws Exception {
        int port = listedBase.getPort();
        assertAccepted(
                transport,
                ask(listedBase, handshake(transport, "Host: 127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port)));
        assertAccepted(
                transport,
                ask(listedBase, handshake(transport, "Host: localhost:" + port, "Origin: http://LOCALHOST:" + port)));
        // The default port may be named on one side and left out on the other.
        assertAccepted(
                transport, ask(listedBase, handshake(transport, "Host: 127.0.0.1", "Origin: http://127.0.0.1:80")));
        assertAccepted(
                transport, ask(listedBase, handshake(transport, "Host: 127.0.0.1:80", "Origin: http://127.0.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void anotherPortSchemeOrHostIsStillCrossOrigin(String transport) throws Exception {
        int port = listedBase.getPort();
        String host = "Host: 127.0.0.1:" + port;
        for (String origin : List.of(
                "http://127.0.0.1:" + (port + 1),
                "https://127.0.0.1:" + port,
                "http://localhost:" + port,
                "http://127.0.0.1:" + port + "/path",
                "null")) {
            RawExchange.Response response = ask(listedBase, handshake(transport, host, "Origin: " + origin));
            assertThat(response.status()).as("Origin %s: %s", origin, response).isEqualTo(403);
        }
        RawExchange.Response noHost = ask(listedBase, handshake(transport, "Origin: http://127.0.0.1:" + port));
        assertThat(noHost.status()).as("no Host header: %s", noHost).isEqualTo(403);
    }

    @Test
    void overTlsTheOwnOriginIsHttps(@TempDir Path dir) throws Exception {
        HostServer tls = new HostServer(
                HostConfig.loopback(Set.of(SEED_PAGE)).withTls(new HostConfig.Tls(dir.resolve("host.p12"), null)));
        try {
            URI base = URI.create("https://127.0.0.1:" + tls.start());
            String host = "Host: 127.0.0.1:" + base.getPort();
            for (String transport : List.of("polling", "websocket")) {
                assertAccepted(
                        transport,
                        ask(base, handshake(transport, host, "Origin: https://127.0.0.1:" + base.getPort())));
                RawExchange.Response plain =
                        ask(base, handshake(transport, host, "Origin: http://127.0.0.1:" + base.getPort()));
                assertThat(plain.status()).as("%s", plain).isEqualTo(403);
            }
        } finally {
            tls.close();
        }
    }

    // ---- CORS answers ----

    @Test
    void aHostOpenToAnyOriginAnswersStarWithoutCredentials() throws Exception {
        for (String origin : List.of("http://anything.example", "null")) {
            RawExchange.Response response = ask(openBase, handshake("polling", host(openBase), "Origin: " + origin));
            assertThat(response.status()).as("Origin %s: %s", origin, response).isEqualTo(200);
            assertThat(response.header("access-control-allow-origin"))
                    .as("Origin %s", origin)
                    .isEqualTo("*");
            assertThat(response.header("access-control-allow-credentials"))
                    .as("Origin %s", origin)
                    .isNull();

            RawExchange.Response preflight = ask(
                    openBase,
                    RawExchange.request(
                            "OPTIONS",
                            SIO + "?EIO=4&transport=polling",
                            host(openBase),
                            "Origin: " + origin,
                            "Access-Control-Request-Method: POST",
                            "Connection: close"));
            assertThat(preflight.status())
                    .as("preflight from %s: %s", origin, preflight)
                    .isEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).isEqualTo("*");
            assertThat(preflight.header("access-control-allow-credentials")).isNull();
        }
    }

    @Test
    void aListedOriginIsNamedBackWithCredentials() throws Exception {
        RawExchange.Response response = ask(listedBase, handshake("polling", host(listedBase), "Origin: " + SEED_PAGE));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("access-control-allow-origin")).isEqualTo(SEED_PAGE);
        assertThat(response.header("access-control-allow-credentials")).isEqualTo("true");
    }

    // ---- helpers ----

    /**
     * A handshake request for {@code transport} with the given header lines; an upgrade's own
     * headers go first, so a cut after them still leaves an upgrade request to serve.
     */
    private static String handshake(String transport, String... headerLines) {
        List<String> lines = new ArrayList<>();
        lines.addAll(transport.equals("websocket") ? List.of(RawExchange.UPGRADE) : List.of("Connection: close"));
        lines.addAll(List.of(headerLines));
        return RawExchange.request("GET", SIO + "?EIO=4&transport=" + transport, lines.toArray(String[]::new));
    }

    /** {@code kilobytes} padding headers of 1,000 bytes each, as one block of header lines. */
    private static String padding(int kilobytes) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < kilobytes; i++) {
            lines.add("X-Padding-" + i + ": " + "p".repeat(986));
        }
        return String.join("\r\n", lines);
    }

    private static String host(URI base) {
        return "Host: " + base.getHost() + ":" + base.getPort();
    }

    private static RawExchange.Response ask(URI base, String request) throws Exception {
        try (RawExchange raw = RawExchange.connect(base)) {
            return raw.send(request).response(Wire.WAIT);
        }
    }

    private static void assertAccepted(String transport, RawExchange.Response response) {
        if (transport.equals("websocket")) {
            assertThat(response.status()).as("%s", response).isEqualTo(101);
        } else {
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.body()).startsWith("0{");
        }
    }
}
