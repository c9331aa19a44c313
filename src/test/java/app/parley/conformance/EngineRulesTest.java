package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.ProtocolEchoServer;
import app.parley.engine.SocketIoEngine;
import java.net.URI;
import java.util.Base64;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules of the Engine.IO v4 / Socket.IO v5 specifications that the official suites touch only in
 * passing, checked on the raw wire against Parley's engine ({@link ProtocolEchoServer}: ping
 * every 300 ms, 200 ms to answer).
 */
class EngineRulesTest {
    private static final String SIO = "/socket.io/";
    private static SocketIoEngine engine;
    private static URI base;

    @BeforeAll
    static void start() {
        engine = ProtocolEchoServer.create(0);
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
    void binaryAttachmentsTravelAsBase64RecordsOnPolling() throws Exception {
        String sid = Wire.initLongPollingSession(base, SIO);
        try (RawHttp http = RawHttp.to(base)) {
            http.request("POST", Wire.polling(SIO, sid), "40");
            assertThat(http.request("GET", Wire.polling(SIO, sid), null).body()).contains("42[\"auth\",{}]");
            String body = "452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"
                    + "\u001eb" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})
                    + "\u001eb" + Base64.getEncoder().encodeToString(new byte[] {4, 5, 6});
            assertThat(http.request("POST", Wire.polling(SIO, sid), body).body())
                    .isEqualTo("ok");
            assertThat(http.request("GET", Wire.polling(SIO, sid), null).body())
                    .isEqualTo(
                            "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"
                                    + "\u001ebAQID\u001ebBAUG");
        }
    }

    @Test
    void badRequestsOnAKnownSessionGet400AndLeaveItAlone() throws Exception {
        String sid = Wire.initLongPollingSession(base, "/engine.io/");
        assertThat(RawHttp.once(base, "PUT", Wire.polling("/engine.io/", sid), "4x")
                        .status())
                .isEqualTo(400);
        assertThat(RawHttp.once(base, "GET", "/engine.io/?EIO=3&transport=polling&sid=" + sid, null)
                        .status())
                .isEqualTo(400);
        RawHttp.Response unknown = RawHttp.once(base, "GET", Wire.polling("/engine.io/", "no-such-session"), null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(new JSONObject(unknown.body()).getInt("code")).isEqualTo(1);
        try (RawHttp http = RawHttp.to(base)) {
            assertThat(http.request("POST", Wire.polling("/engine.io/", sid), "4still here")
                            .body())
                    .isEqualTo("ok");
            assertThat(http.request("GET", Wire.polling("/engine.io/", sid), null)
                            .body())
                    .isEqualTo("4still here");
        }
    }

    @Test
    void aCloseThatOvertakesItsPollStillEndsThatPollWithANoop() throws Exception {
        // The official suite sends the GET and the POST "1" at once; either may arrive first.
        String sid = Wire.initLongPollingSession(base, "/engine.io/");
        assertThat(RawHttp.once(base, "POST", Wire.polling("/engine.io/", sid), "1")
                        .status())
                .isEqualTo(200);
        RawHttp.Response poll = RawHttp.once(base, "GET", Wire.polling("/engine.io/", sid), null);
        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.body()).isEqualTo("6");
        assertThat(RawHttp.once(base, "GET", Wire.polling("/engine.io/", sid), null)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aSecondWebSocketForAnUpgradedSessionOpensAndIsClosedAtOnce() throws Exception {
        String sid = Wire.initLongPollingSession(base, "/engine.io/");
        URI upgrade = Wire.ws(base, "/engine.io/?EIO=4&transport=websocket&sid=" + sid);
        try (RawWebSocket first = RawWebSocket.open(upgrade)) {
            first.sendText("2probe");
            assertThat(first.nextText(Wire.WAIT)).isEqualTo("3probe");
            first.sendText("5");
            try (RawWebSocket second = RawWebSocket.open(upgrade)) {
                // As Node does: the upgrade succeeds, then the server closes it (no HTTP error
                // that a client without an error handler would trip over).
                assertThat(second.upgraded()).isTrue();
                assertThat(second.awaitClose(Wire.WAIT).code()).isEqualTo(1008);
            }
            first.sendText("4still mine");
            assertThat(Wire.nextTextIgnoringPings(first)).isEqualTo("4still mine");
        }
    }

    @Test
    void anUnansweredPingClosesTheWebSocketAtIntervalPlusTimeout() {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, "/engine.io/?EIO=4&transport=websocket"))) {
            assertThat(socket.nextText(Wire.WAIT)).startsWith("0{");
            long opened = System.nanoTime();
            assertThat(socket.nextText(Wire.WAIT)).isEqualTo("2");
            socket.awaitClose(Wire.WAIT);
            long millis = (System.nanoTime() - opened) / 1_000_000;
            // 300 ms to the ping, 200 ms for the pong, counted from the open packet's arrival
            // (a little after the session began): not early, and not much later
            assertThat(millis).isBetween(400L, 900L);
        }
    }

    @Test
    void aPongKeepsTheSessionAliveAcrossSeveralIntervals() {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, "/engine.io/?EIO=4&transport=websocket"))) {
            socket.nextText(Wire.WAIT);
            for (int i = 0; i < 5; i++) {
                assertThat(socket.nextText(Wire.WAIT)).isEqualTo("2");
                socket.sendText("3");
            }
            socket.sendText("4alive");
            assertThat(Wire.nextTextIgnoringPings(socket)).isEqualTo("4alive");
        }
    }

    @Test
    void aSecondConnectToTheSameNamespaceIsIgnoredAndEventsBeforeConnectCloseTheSession() {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, SIO + "?EIO=4&transport=websocket"))) {
            socket.nextText(Wire.WAIT);
            socket.sendText("42[\"message\",\"too early\"]");
            Wire.awaitCloseAnsweringPings(socket, Wire.WAIT);
        }
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, SIO + "?EIO=4&transport=websocket"))) {
            socket.nextText(Wire.WAIT);
            socket.sendText("40");
            assertThat(Wire.nextTextIgnoringPings(socket)).startsWith("40{\"sid\":");
            assertThat(Wire.nextTextIgnoringPings(socket)).isEqualTo("42[\"auth\",{}]");
            socket.sendText("40");
            socket.sendText("42[\"message\",\"once\"]");
            assertThat(Wire.nextTextIgnoringPings(socket)).isEqualTo("42[\"message-back\",\"once\"]");
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreRefusedWithAReason() throws Exception {
        SocketIoEngine limited = ProtocolEchoServer.create(ProtocolEchoServer.specSettings(0)
                .withTimings(25_000, 20_000, 45_000)
                .withLimits(new app.parley.engine.EngineLimits(100, 3, 1_000, 500)));
        URI limitedBase = URI.create("http://127.0.0.1:" + limited.start());
        java.util.List<RawHttp> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp http = RawHttp.to(limitedBase);
                held.add(http);
                assertThat(http.request("GET", "/engine.io/?EIO=4&transport=polling", null)
                                .status())
                        .isEqualTo(200);
            }
            RawHttp.Response refused = RawHttp.once(limitedBase, "GET", "/engine.io/?EIO=4&transport=polling", null);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("too many connections from 127.0.0.1 (at most 3)");
            held.remove(0).close();
            long deadline = System.nanoTime() + Wire.WAIT.toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                status = RawHttp.once(limitedBase, "GET", "/engine.io/?EIO=4&transport=polling", null)
                        .status();
            }
            assertThat(status).as("a freed slot is usable again").isEqualTo(200);
        } finally {
            held.forEach(RawHttp::close);
            limited.stop();
        }
    }
}
