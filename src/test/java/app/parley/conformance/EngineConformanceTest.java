package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.ProtocolEchoServer;
import app.parley.engine.SocketIoEngine;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parley's server engine, bare ({@link ProtocolEchoServer}, configured as the specifications'
 * test suites expect), against the same 57 checks the Node reference passes in
 * {@link ReferenceConformanceTest}, and against what the suites leave out: keep-alive, the
 * Socket.IO id kept apart from the Engine.IO session id, no packet lost or doubled across an
 * upgrade, and oversized input refused without harm to the session next door.
 */
class EngineConformanceTest {
    private static SocketIoEngine engine;
    private static URI base;

    @BeforeAll
    static void startEchoServer() {
        engine = ProtocolEchoServer.create(0);
        base = URI.create("http://127.0.0.1:" + engine.start());
        Wire.warmUpWebSocketClient(base);
    }

    @AfterAll
    static void stopEchoServer() {
        if (engine != null) {
            engine.stop();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyCheckOfTheOfficialSuitesPasses() {
        return Stream.of(
                DynamicContainer.dynamicContainer("engine.io v4", tests(EngineIoChecks.all())),
                DynamicContainer.dynamicContainer("socket.io v5", tests(SocketIoChecks.all())));
    }

    @Test
    void pollingRequestsShareOneKeptAliveConnection() throws Exception {
        try (RawHttp http = RawHttp.to(base)) {
            RawHttp.Response open = http.request("GET", "/socket.io/?EIO=4&transport=polling", null);
            String sid = Wire.parseOpenPacket(open.body()).getString("sid");
            assertThat(open.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(http.request("POST", Wire.polling("/socket.io/", sid), "40")
                            .body())
                    .isEqualTo("ok");
            assertThat(http.request("GET", Wire.polling("/socket.io/", sid), null)
                            .body())
                    .startsWith("40{");
            assertThat(http.connectionsOpened())
                    .as("connections for three requests")
                    .isEqualTo(1);
        }
    }

    @Test
    void theSocketIdIsNotTheEngineSessionId() throws Exception {
        String sid = Wire.initLongPollingSession(base, "/socket.io/");
        try (RawHttp http = RawHttp.to(base)) {
            http.request("POST", Wire.polling("/socket.io/", sid), "40");
            String body =
                    http.request("GET", Wire.polling("/socket.io/", sid), null).body();
            // A ping may come first on a slow machine (this server pings every 300 ms).
            String connect = java.util.Arrays.stream(body.split("\u001e"))
                    .filter(r -> r.startsWith("40"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no CONNECT answer in " + body));
            String socketId = new JSONObject(connect.substring(2)).getString("sid");
            assertThat(socketId).isNotEqualTo(sid);
            // Knowing a socket id (every peer does) gives no way into its session.
            assertThat(http.request("GET", Wire.polling("/socket.io/", socketId), null)
                            .status())
                    .isEqualTo(400);
        }
    }

    @Test
    void noPacketIsLostOrDoubledAcrossAnUpgrade() throws Exception {
        String sid = Wire.initLongPollingSession(base, "/socket.io/");
        int count = 30;
        StringBuilder burst = new StringBuilder("40");
        for (int i = 0; i < count; i++) {
            burst.append('\u001e').append("42[\"message\",").append(i).append(']');
        }
        List<String> received = new ArrayList<>();
        try (RawHttp http = RawHttp.to(base)) {
            assertThat(http.request("POST", Wire.polling("/socket.io/", sid), burst.toString())
                            .body())
                    .isEqualTo("ok");
            try (RawWebSocket socket =
                    RawWebSocket.open(Wire.ws(base, "/socket.io/?EIO=4&transport=websocket&sid=" + sid))) {
                socket.sendText("2probe");
                assertThat(socket.nextText(Wire.WAIT)).isEqualTo("3probe");
                // whatever the polling side still had, it delivers now or it moves to the WebSocket
                for (String packet : http.request("GET", Wire.polling("/socket.io/", sid), null)
                        .body()
                        .split("\u001e")) {
                    received.add(packet);
                }
                socket.sendText("5");
                long deadline = System.nanoTime() + Wire.WAIT.toNanos();
                while (received.stream()
                                        .filter(p -> p.startsWith("42[\"message-back\""))
                                        .count()
                                < count
                        && System.nanoTime() < deadline) {
                    received.add(Wire.nextTextIgnoringPings(socket));
                }
            }
        }
        List<String> echoes = received.stream()
                .filter(p -> p.startsWith("42[\"message-back\""))
                .toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("42[\"message-back\"," + i + "]");
        }
        assertThat(echoes)
                .as("echoes across the upgrade (all packets: %s)", received)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void anOversizedPostIsRefusedAndOtherSessionsCarryOn() throws Exception {
        String bystander = Wire.initLongPollingSession(base, "/engine.io/");
        String sid = Wire.initLongPollingSession(base, "/engine.io/");
        try (RawHttp http = RawHttp.to(base)) {
            // 413 as soon as the Content-Length says too much; the rest of the body is read and
            // dropped, so the client always gets the answer and the kept-alive connection goes on
            RawHttp.Response response =
                    http.request("POST", Wire.polling("/engine.io/", sid), "4" + "x".repeat(1_000_001));
            assertThat(response.status())
                    .as("the answer to a 1,000,002-byte POST: %s", response)
                    .isEqualTo(413);
            assertThat(http.request("POST", Wire.polling("/engine.io/", sid), "4after")
                            .body())
                    .as("the refused session, on the same connection")
                    .isEqualTo("ok");
            assertThat(http.connectionsOpened()).isEqualTo(1);
            assertThat(http.request("POST", Wire.polling("/engine.io/", bystander), "4still here")
                            .body())
                    .isEqualTo("ok");
            assertThat(http.request("GET", Wire.polling("/engine.io/", bystander), null)
                            .body())
                    .isEqualTo("4still here");
        }
    }

    @Test
    void anOversizedWebSocketMessageClosesOnlyThatConnection() {
        try (RawWebSocket big = RawWebSocket.open(Wire.ws(base, "/engine.io/?EIO=4&transport=websocket"));
                RawWebSocket bystander = RawWebSocket.open(Wire.ws(base, "/engine.io/?EIO=4&transport=websocket"))) {
            big.nextText(Wire.WAIT);
            bystander.nextText(Wire.WAIT);
            try {
                big.sendText("4" + "x".repeat(1_000_001));
            } catch (AssertionError sendCutShort) {
                // the server closed the connection while the frame was still being written
            }
            // the host reads and drops the rest after its close frame, so the frame always arrives
            assertThat(Wire.awaitCloseAnsweringPings(big, Wire.WAIT).code()).isEqualTo(1009);
            bystander.sendText("4still here");
            assertThat(Wire.nextTextIgnoringPings(bystander)).isEqualTo("4still here");
        }
    }

    private static Stream<DynamicTest> tests(List<Check> checks) {
        return checks.stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), () -> {
                    ConformanceReport.Result result = ConformanceReport.run(check, base);
                    if (!result.passed()) {
                        throw new AssertionError(result.line(), result.failure());
                    }
                }));
    }
}
