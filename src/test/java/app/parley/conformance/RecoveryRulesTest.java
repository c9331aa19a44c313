package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.testing.PostgresServer;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may recover a session and when (docs/PROTOCOL.md §16), on the raw wire: Parley's own clients
 * get no pid, a host with the window at 0 sends neither pids nor offsets, a client's own disconnect
 * or a protocol error keeps nothing, the password still applies to a recovering CONNECT, and an
 * event's offset is its last argument.
 */
class RecoveryRulesTest {
    private static final String SIO = "/socket.io/";
    private HostServer host;
    private URI base;

    private void start(HostConfig config) {
        host = new HostServer(config);
        base = URI.create("http://127.0.0.1:" + host.start());
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void parleysOwnClientsGetNoPid() {
        start(HostConfig.loopback(Set.of()));
        assertThat(connect("{}").has("pid")).isTrue();
        assertThat(connect("{\"caughtUp\":true}").has("pid")).isFalse();
        assertThat(connect("{\"resume\":{\"at\":0,\"seqs\":{}}}").has("pid")).isFalse();
    }

    @Test
    void aHostWithoutRecoverySendsNoPidAndNoOffset() throws Exception {
        start(HostConfig.loopback(Set.of()).withRecoveryWindow(Duration.ZERO));
        try (RawWebSocket reader = open();
                RawWebSocket writer = open()) {
            reader.sendText("40{\"pid\":\"x\",\"offset\":\"1\"}");
            assertThat(new JSONObject(next(reader).substring(2)).has("pid")).isFalse();
            live(reader);
            writer.sendText("40");
            next(writer);
            JSONArray event = receive(reader, writer, "hello");
            assertThat(event.length()).as("%s", event).isEqualTo(3); // name, text, meta
        }
    }

    @Test
    void everyEventEndsWithTheOffset() throws Exception {
        start(HostConfig.loopback(Set.of()));
        try (RawWebSocket reader = open();
                RawWebSocket writer = open()) {
            reader.sendText("40");
            next(reader);
            live(reader);
            writer.sendText("40");
            next(writer);
            JSONArray first = receive(reader, writer, "one");
            JSONArray second = receive(reader, writer, "two");
            long a = Long.parseLong(first.getString(first.length() - 1));
            long b = Long.parseLong(second.getString(second.length() - 1));
            assertThat(b).isGreaterThan(a);
        }
    }

    @Test
    void ownDisconnectAndProtocolErrorsKeepNothing() throws Exception {
        start(HostConfig.loopback(Set.of()));
        JSONObject left = liveThen("41");
        JSONObject broken = liveThen("42{}"); // malformed: the host closes the session
        awaitGone(left);
        awaitGone(broken);
        assertThat(connect("{\"pid\":\"" + left.getString("pid") + "\"}").getString("sid"))
                .isNotEqualTo(left.getString("sid"));
        assertThat(connect("{\"pid\":\"" + broken.getString("pid") + "\"}").getString("sid"))
                .isNotEqualTo(broken.getString("sid"));
        JSONObject dropped = liveThen(null); // the transport closes under it
        awaitGone(dropped);
        assertThat(connect("{\"pid\":\"" + dropped.getString("pid") + "\"}").getString("sid"))
                .isEqualTo(dropped.getString("sid"));
    }

    @Test
    void theRecoveringConnectNeedsThePassword() throws Exception {
        start(HostConfig.loopback(Set.of()).withPassword("s3cret"));
        JSONObject granted;
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"password\":\"s3cret\"}");
            granted = new JSONObject(next(socket).substring(2));
            live(socket);
        }
        awaitGone(granted);
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"pid\":\"" + granted.getString("pid") + "\"}");
            assertThat(next(socket)).isEqualTo("44{\"message\":\"wrong password\"}");
        }
        JSONObject keeps;
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"password\":\"s3cret\"}");
            keeps = new JSONObject(next(socket).substring(2));
            live(socket); // only a socket that went live is kept
        }
        awaitGone(keeps);
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"password\":\"s3cret\",\"pid\":\"" + keeps.getString("pid") + "\"}");
            assertThat(new JSONObject(next(socket).substring(2)).getString("sid"))
                    .isEqualTo(keeps.getString("sid"));
        }
    }

    @Test
    void anotherUsersClaimRestoresNothing() throws Exception {
        start(HostConfig.loopback(Set.of()));
        JSONObject granted;
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"user\":\"the-first-users-key\"}");
            granted = new JSONObject(next(socket).substring(2));
            socket.sendText("421[\"join-room\",\"kept\"]");
            assertThat(next(socket)).isEqualTo("431[\"Joined kept\"]");
        }
        awaitGone(granted);
        try (RawWebSocket socket = open()) {
            socket.sendText("40{\"user\":\"another-users-key\",\"pid\":\"" + granted.getString("pid") + "\"}");
            JSONObject answer = new JSONObject(next(socket).substring(2));
            assertThat(answer.getString("pid")).as("recovered would be true").isNotEqualTo(granted.getString("pid"));
            // Not left waiting for a replay that never comes: its own join-room is answered.
            socket.sendText("421[\"join-room\",\"mine\"]");
            assertThat(next(socket)).isEqualTo("431[\"Joined mine\"]");
        }
    }

    @Test
    void aRecoveryWhoseMissedMessagesCannotBeReadEndsTheConnectionAndItsClientComesBackFresh() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            start(HostConfig.loopback(Set.of()).withStore(postgres.freshDatabase()));
            JSONObject granted;
            String offset;
            try (RawWebSocket writer = open()) {
                writer.sendText("40");
                next(writer);
                try (RawWebSocket reader = open()) {
                    reader.sendText("40");
                    granted = new JSONObject(next(reader).substring(2));
                    live(reader);
                    JSONArray one = receive(reader, writer, "one");
                    offset = one.getString(one.length() - 1);
                } // the transport closes under it
                awaitGone(granted);
                // Missed while away, then the store goes down before it is back.
                writer.sendText("421[\"send-message\",\"two\",\"\"]");
                String ack;
                do {
                    ack = next(writer);
                } while (!ack.startsWith("431["));
                assertThat(ack).contains("\"ok\":true");
            }
            postgres.stop();
            try (RawWebSocket back = open()) {
                back.sendText("40{\"pid\":\"" + granted.getString("pid") + "\",\"offset\":\"" + offset + "\"}");
                assertThat(new JSONObject(next(back).substring(2)).getString("sid"))
                        .isEqualTo(granted.getString("sid"));
                // Not left live with a gap it would take for a whole recovery: the host lets it go.
                RawWebSocket.Closed closed = back.awaitClose(Duration.ofSeconds(15));
                assertThat(closed).as("closed by the host").isNotNull();
            }
            postgres.begin();
            awaitGone(granted);
            assertThat(connect("{\"pid\":\"" + granted.getString("pid") + "\"}").getString("sid"))
                    .as("the session was used up: a fresh socket, recovered false")
                    .isNotEqualTo(granted.getString("sid"));
        }
    }

    /** A socket that connects and goes live, then {@code last} (null: only its transport closes). */
    private JSONObject liveThen(String last) {
        try (RawWebSocket socket = open()) {
            socket.sendText("40");
            JSONObject granted = new JSONObject(next(socket).substring(2));
            live(socket);
            if (last != null) {
                socket.sendText(last);
            }
            return granted;
        }
    }

    private JSONObject connect(String auth) {
        try (RawWebSocket socket = open()) {
            socket.sendText("40" + auth);
            String answer = next(socket);
            assertThat(answer).startsWith("40{");
            socket.sendText("41");
            return new JSONObject(answer.substring(2));
        }
    }

    /** {@code writer} says {@code text} to everyone; the event {@code reader} gets for it. */
    private static JSONArray receive(RawWebSocket reader, RawWebSocket writer, String text) {
        writer.sendText("42[\"send-message\",\"" + text + "\",\"\"]");
        while (true) {
            String frame = next(reader);
            if (frame.startsWith("42[\"receive-message\",\"" + text + "\"")) {
                return new JSONArray(frame.substring(2));
            }
        }
    }

    /** Waits (bounded) until the host has run the socket's disconnect, which is when its session may be claimed. */
    private void awaitGone(JSONObject granted) throws InterruptedException {
        long deadline = System.nanoTime() + Wire.WAIT.toNanos();
        while (host.connectedIds().contains(granted.getString("sid")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100); // the disconnect listener hands the session over just after presence lets go
    }

    /**
     * Returns once the socket hears live traffic: a join-room is answered in order with what the
     * host does at connect, which puts it there.
     */
    private static void live(RawWebSocket socket) {
        socket.sendText("429[\"join-room\",\"live\"]");
        while (!next(socket).startsWith("439[")) {
            // events before the answer
        }
    }

    private RawWebSocket open() {
        RawWebSocket socket = RawWebSocket.open(Wire.ws(base, SIO + "?EIO=4&transport=websocket"));
        assertThat(socket.nextText(Wire.WAIT)).startsWith("0{");
        return socket;
    }

    private static String next(RawWebSocket socket) {
        return Wire.nextTextIgnoringPings(socket);
    }
}
