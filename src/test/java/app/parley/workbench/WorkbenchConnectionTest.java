package app.parley.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.interop.NodeProcess;
import app.parley.workbench.LogEntry.Direction;
import app.parley.workbench.LogEntry.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workbench's connection against a real Node socket.io 4.8 server ({@code interop/workbench-server.mjs})
 * over loopback: nested auth, headers and query on the wire, emit with ack and its round-trip time,
 * the ack timeout, answering the server's ack, binary shown as size and hex, and the export.
 */
class WorkbenchConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private NodeProcess server;
    private int port;
    private final List<WorkbenchConnection> connections = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = NodeProcess.start("workbench-server.mjs", "0");
        port = server.awaitEvent("listening", WAIT).getInt("port");
    }

    @AfterEach
    void stop() {
        connections.forEach(WorkbenchConnection::close);
        server.close();
    }

    private ConnectionSpec spec() {
        return ConnectionSpec.defaults().withUrl("http://127.0.0.1:" + port);
    }

    private WorkbenchConnection connect(ConnectionSpec spec, Entries log) throws InterruptedException {
        WorkbenchConnection connection = WorkbenchConnection.open(spec, log);
        connections.add(connection);
        connection.connect();
        log.awaitKind(Kind.CONNECT);
        return connection;
    }

    @ParameterizedTest
    @EnumSource(Transports.class)
    void nestedAuthHeadersAndQueryReachTheServerOnEveryTransport(Transports transports) throws Exception {
        Entries log = new Entries();
        ConnectionSpec spec = spec().withAuth(
                        "{\"token\": \"t-1\", \"user\": {\"id\": 7, \"roles\": [\"admin\", \"dev\"],"
                                + " \"profile\": {\"lang\": \"en\"}}}")
                .withHeaders("{\"x-workbench\": \"yes\"}")
                .withQuery("{\"room\": \"a b\", \"v\": 2}")
                .withTransports(transports);
        connect(spec, log);

        JSONObject seen = server.awaitEvent("connected", WAIT);
        JSONObject auth = seen.getJSONObject("auth");
        assertThat(auth.getString("token")).isEqualTo("t-1");
        assertThat(auth.getJSONObject("user").getInt("id")).isEqualTo(7);
        assertThat(auth.getJSONObject("user").getJSONArray("roles").toList()).containsExactly("admin", "dev");
        assertThat(auth.getJSONObject("user").getJSONObject("profile").getString("lang"))
                .isEqualTo("en");
        assertThat(seen.getJSONObject("query").getString("room")).isEqualTo("a b");
        assertThat(seen.getJSONObject("query").getString("v")).isEqualTo("2");
        if (transports != Transports.WEBSOCKET) {
            // A WebSocket opened by OkHttp carries the extra headers too, but Node reads them from the
            // polling request first; both paths send them (IO.Options.extraHeaders).
            assertThat(seen.optString("header")).isEqualTo("yes");
        }
        assertThat(seen.getString("nsp")).isEqualTo("/");

        // The server's echo of its handshake auth arrives as an event: the nested object, as an object.
        LogEntry echoed = log.awaitIn("auth");
        @SuppressWarnings("unchecked")
        Map<String, Object> user =
                (Map<String, Object>) ((Map<String, Object>) echoed.args().get(0)).get("user");
        assertThat(user).containsEntry("id", 7).containsEntry("profile", Map.of("lang", "en"));
        assertThat(Payloads.pretty(echoed.args().get(0))).contains("\"profile\": {\n      \"lang\": \"en\"");
    }

    @Test
    void aNamespaceAndAPathOtherThanTheDefault() throws Exception {
        server.close();
        server = NodeProcess.start("workbench-server.mjs", "0", "/custom-path");
        port = server.awaitEvent("listening", WAIT).getInt("port");
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec().withNamespace("/admin").withPath("/custom-path"), log);
        assertThat(server.awaitEvent("connected", WAIT).getString("nsp")).isEqualTo("/admin");
        assertThat(log.awaitIn("auth").namespace()).isEqualTo("/admin");
        assertThat(connection.id()).isNotBlank();
    }

    @Test
    void emitWithAckShowsTheAnswerAndItsRoundTripTime() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec(), log);

        connection.emit("echo-ack", JsonInput.arguments("1, \"two\", {\"three\": [3]}"), Duration.ofSeconds(5));

        LogEntry out = log.await(
                "the emit", e -> e.direction() == Direction.OUT && e.event().equals("echo-ack"));
        assertThat(out.args()).containsExactly(1, "two", Map.of("three", List.of(3)));
        LogEntry ack = log.awaitKind(Kind.ACK);
        assertThat(ack.event()).isEqualTo("echo-ack");
        assertThat(ack.args()).containsExactly(1, "two", Map.of("three", List.of(3)));
        assertThat(ack.rttMillis()).isBetween(0L, 5_000L);
        assertThat(ack.summary()).startsWith("ack " + ack.rttMillis() + " ms: 1, \"two\", {\"three\":[3]}");
        assertThat(log.all()).noneMatch(e -> e.kind() == Kind.ACK_TIMEOUT);
    }

    @Test
    void anAckThatNeverComesTimesOut() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec(), log);

        connection.emit("no-ack", List.of("anyone?"), Duration.ofMillis(300));

        LogEntry timeout = log.awaitKind(Kind.ACK_TIMEOUT);
        assertThat(timeout.event()).isEqualTo("no-ack");
        assertThat(timeout.note()).isEqualTo("no ack within 300 ms");
        assertThat(log.all()).noneMatch(e -> e.kind() == Kind.ACK);
    }

    @Test
    void theServersAckIsAnsweredWithTheTypedJson() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec(), log);

        connection.emit("ask", List.of("what is your name?"), null);
        LogEntry question = log.awaitIn("question");
        assertThat(question.expectsReply()).isTrue();
        assertThat(question.args()).containsExactly("what is your name?");

        assertThat(connection.reply(question.replyId(), JsonInput.arguments("{\"name\": \"wb\", \"n\": [1, 2]}, true")))
                .isTrue();
        assertThat(connection.reply(question.replyId(), List.of("again"))).isFalse();

        JSONObject answer = server.awaitEvent("answer", WAIT);
        assertThat(answer.has("error")).as(answer.toString()).isFalse();
        assertThat(answer.getJSONArray("answer").getJSONObject(0).getString("name"))
                .isEqualTo("wb");
        assertThat(answer.getJSONArray("answer")
                        .getJSONObject(0)
                        .getJSONArray("n")
                        .toList())
                .containsExactly(1, 2);
        assertThat(answer.getJSONArray("answer").getBoolean(1)).isTrue();
        LogEntry reply = log.awaitKind(Kind.ACK_REPLY);
        assertThat(reply.direction()).isEqualTo(Direction.OUT);
        assertThat(reply.args()).containsExactly(Map.of("name", "wb", "n", List.of(1, 2)), true);
    }

    @Test
    void anAutoReplyRuleAnswersAtOnce() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec(), log);
        connection.autoReply("question", JsonInput.arguments("\"auto\""));

        connection.emit("ask", List.of("q"), null);

        assertThat(server.awaitEvent("answer", WAIT).getJSONArray("answer").getString(0))
                .isEqualTo("auto");
        assertThat(log.awaitIn("question").expectsReply()).isFalse();
    }

    @Test
    void binaryIsShownAsItsSizeAndAHexPreviewBothWays() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec(), log);

        connection.emit("send-binary", List.of(20), null);
        LogEntry binary = log.awaitIn("binary");
        assertThat(binary.args().get(0)).isInstanceOf(byte[].class);
        assertThat(binary.summary()).isEqualTo("<binary 20 bytes: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …>");

        // Typed arguments carry bytes as {"_binary": base64}; the echo comes back as binary.
        connection.emit("message", JsonInput.arguments("{\"_binary\": \"AQL/\"}, \"text\""), null);
        LogEntry back = log.awaitIn("message-back");
        assertThat(back.summary()).isEqualTo("<binary 3 bytes: 01 02 ff>, \"text\"");
        LogEntry out = log.await(
                "the binary emit",
                e -> e.direction() == Direction.OUT && e.event().equals("message"));
        assertThat(out.summary()).startsWith("<binary 3 bytes: 01 02 ff>");
    }

    @Test
    void theExportedLogParsesBackWithEveryEntry() throws Exception {
        Entries log = new Entries();
        WorkbenchConnection connection = connect(spec().withAuth("{\"a\": {\"b\": 1}}"), log);
        connection.emit("echo-ack", List.of(Map.of("k", "v")), Duration.ofSeconds(5));
        connection.emit("send-binary", List.of(4), null);
        log.awaitKind(Kind.ACK);
        log.awaitIn("binary");
        connection.disconnect();
        log.awaitKind(Kind.DISCONNECT);

        List<LogEntry> all = log.all();
        Path file = dir.resolve("out/log.json");
        LogExport.write(connection.spec(), all, file);
        List<LogEntry> back = LogExport.read(file);

        assertThat(back).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            assertThat(back.get(i).summary()).isEqualTo(all.get(i).summary());
            assertThat(back.get(i).seq()).isEqualTo(all.get(i).seq());
            assertThat(back.get(i).kind()).isEqualTo(all.get(i).kind());
            assertThat(back.get(i).event()).isEqualTo(all.get(i).event());
        }
        assertThat(new JSONObject(java.nio.file.Files.readString(file)).has("auth"))
                .isFalse();
    }

    @Test
    void aRefusedConnectionIsLoggedWithItsReason() throws Exception {
        Entries log = new Entries();
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        WorkbenchConnection connection = WorkbenchConnection.open(
                spec().withUrl("http://127.0.0.1:" + closedPort).withReconnection(false), log);
        connections.add(connection);
        connection.connect();
        assertThat(log.awaitKind(Kind.CONNECT_ERROR).note()).isNotBlank();
        assertThatThrownBy(() -> connection.emit("x", List.of(), null)).hasMessage("Not connected");
    }

    @Test
    void invalidJsonIsRefusedBeforeConnecting() {
        ConnectionSpec bad = spec().withAuth("{\"token\": }").withHeaders("{\"x\": {\"nested\": 1}}");
        assertThat(bad.problems())
                .containsExactly(
                        "Auth: Invalid JSON at character 11: unexpected '}'",
                        "Headers: \"x\" needs a plain value (text, number or true/false)");
        assertThatThrownBy(() -> WorkbenchConnection.open(bad, new Entries()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Auth: Invalid JSON");
    }
}
