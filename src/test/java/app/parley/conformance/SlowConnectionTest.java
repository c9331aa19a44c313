package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.engine.ProtocolEchoServer;
import app.parley.engine.SocketIoEngine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that send too little, too slowly, or nothing at all, against Parley's engine with
 * short bounds (1 s for a request's headers, 1.5 s of idleness) and a ping interval far beyond
 * them, so only the connection deadlines can end anything: a half-sent request gets 408, an idle
 * connection is closed, while a long poll the server holds and a quiet WebSocket are not cut; and
 * connections that never finish a request count against the per-address cap.
 */
class SlowConnectionTest {
    private static final String EIO = "/engine.io/";
    private static final long HEADER_MILLIS = 1_000;
    private static final long IDLE_MILLIS = 1_500;
    /** Room for a loaded machine past a bound, and the earliness a timer may show against our clock. */
    private static final Duration SLACK = Duration.ofMillis(1_500);

    private static final long EARLY_MILLIS = 100;
    private static final String HALF_A_HEAD =
            "GET " + EIO + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Half: ";

    private static SocketIoEngine engine;
    private static URI base;

    @BeforeAll
    static void start() {
        engine = ProtocolEchoServer.create(ProtocolEchoServer.specSettings(0)
                .withTimings(25_000, 20_000, 45_000)
                .withLimits(EngineLimits.DEFAULT.withTimeouts(HEADER_MILLIS, IDLE_MILLIS)));
        base = URI.create("http://127.0.0.1:" + engine.start());
        Wire.warmUpWebSocketClient(base);
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.stop();
        }
    }

    @Test
    void halfARequestHeadGets408AndIsClosedWithinTheHeaderBound() throws Exception {
        try (RawExchange raw = RawExchange.connect(base)) {
            long start = System.nanoTime();
            raw.send(HALF_A_HEAD);
            RawExchange.Response response =
                    raw.response(Duration.ofMillis(HEADER_MILLIS).plus(SLACK));
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(HEADER_MILLIS - EARLY_MILLIS);
            assertThat(response.status()).as("%s", response).isEqualTo(408);
            assertThat(response.body()).contains("the request headers were not complete within 1 s");
            assertThat(raw.closedWithin(SLACK)).as("closed after the 408").isTrue();
        }
    }

    @Test
    void aBodyThatNeverCompletesGets408() throws Exception {
        try (RawExchange raw = RawExchange.connect(base)) {
            long start = System.nanoTime();
            raw.send("POST " + EIO + "?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 100\r\n\r\n4abc");
            RawExchange.Response response =
                    raw.response(Duration.ofMillis(IDLE_MILLIS).plus(SLACK));
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(IDLE_MILLIS - EARLY_MILLIS);
            assertThat(response.status()).as("%s", response).isEqualTo(408);
            assertThat(response.body()).contains("the request was not complete within 1500 ms");
            assertThat(raw.closedWithin(SLACK)).isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleBound() throws Exception {
        try (RawExchange raw = RawExchange.connect(base)) {
            long start = System.nanoTime();
            assertThat(raw.closedWithin(Duration.ofMillis(IDLE_MILLIS).plus(SLACK)))
                    .isTrue();
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(IDLE_MILLIS - EARLY_MILLIS);
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleBoundBetweenRequests() throws Exception {
        try (RawExchange raw = RawExchange.connect(base)) {
            raw.send(RawExchange.request(
                    "GET", EIO + "?EIO=4&transport=polling", "Host: 127.0.0.1", "Connection: keep-alive"));
            RawExchange.Response handshake = raw.response(Wire.WAIT);
            assertThat(handshake.status()).isEqualTo(200);
            assertThat(handshake.header("connection")).isEqualToIgnoringCase("keep-alive");
            long start = System.nanoTime();
            assertThat(raw.closedWithin(Duration.ofMillis(IDLE_MILLIS).plus(SLACK)))
                    .isTrue();
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(IDLE_MILLIS - EARLY_MILLIS);
        }
    }

    @Test
    void aLongPollHeldLongerThanTheIdleBoundIsNotCut() throws Exception {
        String sid = Wire.initLongPollingSession(base, EIO);
        try (RawHttp poll = RawHttp.to(base)) {
            RawHttp.Pending held = poll.send("GET", Wire.polling(EIO, sid), null);
            Thread.sleep(IDLE_MILLIS * 2);
            assertThat(RawHttp.once(base, "POST", Wire.polling(EIO, sid), "4still here")
                            .body())
                    .isEqualTo("ok");
            assertThat(held.await(Wire.WAIT).body()).isEqualTo("4still here");
        }
    }

    @Test
    void aQuietWebSocketOutlivesTheIdleBound() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, EIO + "?EIO=4&transport=websocket"))) {
            assertThat(socket.nextText(Wire.WAIT)).startsWith("0{");
            Thread.sleep(IDLE_MILLIS * 2);
            socket.sendText("4still here");
            assertThat(socket.nextText(Wire.WAIT)).isEqualTo("4still here");
        }
    }

    @Test
    void connectionsThatNeverFinishARequestCountAgainstThePerAddressCap() throws Exception {
        SocketIoEngine limited = ProtocolEchoServer.create(ProtocolEchoServer.specSettings(0)
                .withTimings(25_000, 20_000, 45_000)
                .withLimits(new EngineLimits(100, 3, 1_000, 500).withTimeouts(10_000, 10_000)));
        URI limitedBase = URI.create("http://127.0.0.1:" + limited.start());
        List<RawExchange> halfOpen = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                halfOpen.add(RawExchange.connect(limitedBase).send(HALF_A_HEAD));
            }
            Thread.sleep(200); // each counted before the next one arrives
            try (RawExchange fourth = RawExchange.connect(limitedBase).send(HALF_A_HEAD)) {
                assertThat(fourth.closedWithin(Duration.ofSeconds(1).plus(SLACK)))
                        .as("a fourth half-open connection is closed, not held")
                        .isTrue();
            }
            RawHttp.Response refused = RawHttp.once(limitedBase, "GET", EIO + "?EIO=4&transport=polling", null);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("too many connections from 127.0.0.1 (at most 3)");
            for (RawExchange held : halfOpen) {
                assertThat(held.closedWithin(Duration.ofMillis(50)))
                        .as("the first three are still open")
                        .isFalse();
            }
        } finally {
            for (RawExchange held : halfOpen) {
                held.close();
            }
            limited.stop();
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
