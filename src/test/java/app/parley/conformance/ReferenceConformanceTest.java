package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Proves the Java port of the official Engine.IO v4 and Socket.IO v5 test suites against the
 * Node.js reference ({@code interop/reference-echo-server.mjs}: socket.io 4.8 and engine.io 6,
 * configured as the suites expect): every one of the 57 checks must pass there, so a check that
 * fails against Parley points at Parley, not at the port.
 */
class ReferenceConformanceTest {
    private static ReferenceServer server;

    @BeforeAll
    static void startReferenceServer() throws Exception {
        server = ReferenceServer.start(Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopReferenceServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSuitesHaveTheOfficialNumberOfChecks() {
        assertThat(EngineIoChecks.all()).hasSize(25);
        assertThat(SocketIoChecks.all()).hasSize(32);
        assertThat(ConformanceReport.checks(null)).extracting(Check::fullName).doesNotHaveDuplicates();
    }

    @TestFactory
    Stream<DynamicNode> everyCheckPassesAgainstTheNodeReference() {
        return Stream.of(
                DynamicContainer.dynamicContainer("engine.io v4", tests(EngineIoChecks.all())),
                DynamicContainer.dynamicContainer("socket.io v5", tests(SocketIoChecks.all())));
    }

    @Test
    void theRunnerReportsEveryCheckAndASummary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int port = server.base().getPort();
        int exit = ConformanceReport.run(
                new String[] {String.valueOf(port), "--only", "engine"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code; output:\n%s%s", printed, err).isZero();
        assertThat(printed.lines().filter(l -> l.startsWith("PASS "))).hasSize(25);
        assertThat(printed.lines().filter(l -> l.startsWith("FAIL "))).isEmpty();
        assertThat(printed.lines().reduce((a, b) -> b)).hasValue("engine.io 25/25");
    }

    @Test
    void theRunnerRefusesBadArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream nowhere = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(ConformanceReport.run(new String[0], nowhere, errStream)).isEqualTo(2);
        assertThat(ConformanceReport.run(new String[] {"1", "--only", "both"}, nowhere, errStream))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    }

    @Test
    void rawHttpKeepsOneConnectionAliveAndAbortsByClosingIt() throws Exception {
        try (RawHttp http = RawHttp.to(server.base())) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.request("GET", EngineIoChecks.PATH + "?EIO=4&transport=polling", null)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(http.connectionsOpened())
                    .as("connections for three sequential requests")
                    .isEqualTo(1);
            String sid = Wire.initLongPollingSession(server.base(), EngineIoChecks.PATH);
            http.send("GET", Wire.polling(EngineIoChecks.PATH, sid), null).abort();
            assertThat(http.request("GET", EngineIoChecks.PATH + "?EIO=4&transport=polling", null)
                            .status())
                    .isEqualTo(200);
            assertThat(http.connectionsOpened())
                    .as("a new connection after the abort")
                    .isEqualTo(2);
        }
    }

    @Test
    void aRefusedWebSocketUpgradeCountsAsClosed() {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(server.base(), EngineIoChecks.PATH + "?EIO=4"))) {
            assertThat(socket.upgraded()).isFalse();
            assertThat(socket.awaitClose(Duration.ofMillis(10)).how()).contains("HTTP 400");
        }
    }

    private static Stream<DynamicTest> tests(List<Check> checks) {
        return checks.stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), () -> {
                    assertThat(server.isAlive())
                            .as("the reference server is running\n%s", server.transcript())
                            .isTrue();
                    ConformanceReport.Result result = ConformanceReport.run(check, server.base());
                    if (!result.passed()) {
                        throw new AssertionError(
                                result.line() + "\n--- reference server output ---\n" + server.transcript(),
                                result.failure());
                    }
                }));
    }
}
