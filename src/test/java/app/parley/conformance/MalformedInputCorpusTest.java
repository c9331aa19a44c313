package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Malformed and hostile input against a real Parley host, sent with raw WebSocket frames and raw
 * HTTP (no Socket.IO client): truncated and invalid packets, bad handshakes, wrong argument types
 * for every chat event, oversized payloads, attachment and packet floods. For every case the
 * offender is closed or gets an error, the host stays up, and two well-behaved clients connected
 * throughout keep chatting with nothing lost. After the corpus, no session is left behind and
 * the heap is back near where it started.
 */
class MalformedInputCorpusTest {
    private static final String SIO = "/socket.io/";
    private static final String ADMIN_USER = "admin";
    private static final String ADMIN_PASSWORD = "corpus admin password";
    private static final String NOBODY = "00000000-0000-4000-8000-000000000000";
    private static final Duration WAIT = Wire.WAIT;
    private static final long HEADER_TIMEOUT_MILLIS = 1_000;
    private static HostServer host;
    private static URI base;
    private static RawClient ann;
    private static RawClient bob;
    private static long heapBefore;
    private static int exchanges;

    /** What the offender must see. */
    private enum Expect {
        CLOSED,
        ERROR_ACK,
        ERROR_EVENT,
        STAYS_OPEN
    }

    private interface Action {
        void run() throws Exception;
    }

    private record Case(String name, Action action) {}

    @BeforeAll
    static void start() throws Exception {
        // A short header bound, so a half-sent request is refused within the corpus's waits.
        host = new HostServer(HostConfig.loopback(Set.of("*"))
                .withLimits(EngineLimits.DEFAULT.withTimeouts(
                        HEADER_TIMEOUT_MILLIS, EngineLimits.DEFAULT_IDLE_TIMEOUT_MILLIS)));
        host.enableAdmin(new app.parley.admin.AdminAccount(ADMIN_USER, ADMIN_PASSWORD));
        base = URI.create("http://127.0.0.1:" + host.start());
        ann = RawClient.connect(base.getPort());
        bob = RawClient.connect(base.getPort());
        ann.awaitId();
        bob.awaitId();
        assertThat(ann.request(ChatEvents.JOIN_ROOM, "corpus")[0]).isEqualTo("Joined corpus");
        assertThat(bob.request(ChatEvents.JOIN_ROOM, "corpus")[0]).isEqualTo("Joined corpus");
        heapBefore = usedHeap();
    }

    @AfterAll
    static void stop() {
        if (ann != null) {
            ann.close();
        }
        if (bob != null) {
            bob.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsRefusedAndTheChatGoesOn() {
        List<Case> cases = corpus();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                c.action().run();
                chatStillWorks();
            }));
        }
        tests.add(DynamicTest.dynamicTest("afterwards: no session left behind, heap bounded", () -> {
            chatStillWorks(); // the marker after the last case's exchange
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (host.engineSessions() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(host.engineSessions())
                    .as("Engine.IO sessions: only ann's and bob's")
                    .isEqualTo(2);
            assertThat(host.connectedIds()).hasSize(2);
            long grown = usedHeap() - heapBefore;
            assertThat(grown).as("heap growth over the corpus, bytes").isLessThan(64L * 1024 * 1024);
        }));
        return tests.stream();
    }

    private static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        adminCases(c);
        // ---- Socket.IO packets that break the protocol: the connection is closed ----
        c.add(ws("truncated JSON", true, "442[\"some\",\"data\""));
        c.add(ws("event name an object", true, "42[{\"toString\":\"foo\"}]"));
        c.add(ws("event name null", true, "42[null,\"bar\"]"));
        c.add(ws("event name a number", true, "42[1,2]"));
        c.add(ws("event name an array", true, "42[[\"x\"]]"));
        c.add(ws("empty event array", true, "42[]"));
        c.add(ws("event payload an object", true, "42{}"));
        c.add(ws("event payload a string", true, "42\"x\""));
        c.add(ws("binary header without count", true, "45"));
        c.add(ws("binary header with a fraction", true, "451.23-[\"x\"]"));
        c.add(ws("binary header without dash", true, "452[\"x\"]"));
        c.add(ws("unknown Socket.IO type 7", true, "47[\"x\"]"));
        c.add(ws("unknown Socket.IO type 9", true, "49"));
        c.add(ws("letters as Socket.IO type", true, "4abc"));
        c.add(ws("CONNECT_ERROR from a client", true, "44{\"message\":\"x\"}"));
        c.add(ws("ACK without an id", true, "43[\"x\"]"));
        c.add(ws("ack id with letters", true, "42abc[\"x\"]"));
        c.add(ws("ack id of 20 digits", true, "4212345678901234567890[\"x\"]"));
        c.add(ws("CONNECT payload an array", false, "40[1]"));
        c.add(ws("DISCONNECT with a payload", true, "41{\"x\":1}"));
        c.add(ws("namespace without comma on EVENT", true, "42/admin[\"x\"]"));
        c.add(ws("EVENT before CONNECT", false, "42[\"send-message\",\"too early\"]"));
        c.add(ws("EVENT after DISCONNECT", true, "41", "42[\"send-message\",\"after leaving\"]"));
        c.add(ws("the engine's internal event name", true, "42[\"\\u0000parley-custom\",1]"));
        c.add(ws("JSON nested 5,000 deep", true, "42[\"deep\"," + "[".repeat(5_000) + "]".repeat(5_000) + "]"));
        c.add(ws("more attachments than allowed", true, "4511-[\"x\"]"));
        c.add(wsAttachmentFlood());
        c.add(wsStrayBinary());
        // ---- Engine.IO packets that break the protocol ----
        c.add(ws("Engine.IO garbage", false, "abc"));
        c.add(ws("empty frame", false, ""));
        c.add(ws("OPEN packet from a client", false, "0{}"));
        c.add(ws("close packet with data", false, "1x"));
        c.add(ws("unknown Engine.IO type 8", false, "8"));
        c.add(wsOversized());
        c.add(wsPacketFlood());
        framingCases(c);
        // ---- Accepted but harmless: the connection stays and works ----
        c.add(wsStaysOpen("a second CONNECT", "40"));
        c.add(wsConnectError(
                "CONNECT to an unknown namespace", "40/nowhere,", "44/nowhere,{\"message\":\"Invalid namespace\"}"));
        // ---- Forged or broken resume states: the CONNECT is accepted, the resume gives nothing ----
        c.add(wsResume("resume naming a socket's own room", "{\"#" + annId() + "\":1e15}"));
        c.add(wsResume(
                "resume naming a socket's room in capitals",
                "{\"#" + annId().toUpperCase(java.util.Locale.ROOT) + "\":0}"));
        c.add(wsResume("resume naming another pair's direct conversation", "{\"@u:a u:b\":0}"));
        c.add(wsResume(
                "resume naming 201 conversations",
                "{"
                        + String.join(
                                ",",
                                java.util.stream.IntStream.range(0, 201)
                                        .mapToObj(i -> "\"#r" + i + "\":0")
                                        .toList())
                        + "}"));
        c.add(wsResume(
                "resume with seqs of every wrong type", "{\"*\":-1,\"#a\":\"x\",\"#b\":null,\"#c\":[1],\"#d\":1e300}"));
        c.add(wsResume("resume with seqs an array", "[1,2]"));
        // ---- Chat events with wrong arguments: an error ack or parley-error, nothing sent ----
        c.add(chat("send-message text a number", "421[\"send-message\",42]", Expect.ERROR_ACK));
        c.add(chat("send-message text an object", "421[\"send-message\",{\"a\":1}]", Expect.ERROR_ACK));
        c.add(chat("send-message text null", "421[\"send-message\",null]", Expect.ERROR_ACK));
        c.add(chat("send-message with no arguments", "421[\"send-message\"]", Expect.ERROR_ACK));
        c.add(chat("send-message text an array", "421[\"send-message\",[\"x\"]]", Expect.ERROR_ACK));
        c.add(chat("send-message room a number", "421[\"send-message\",\"hi\",123]", Expect.ERROR_ACK));
        c.add(chat("send-message room an object", "421[\"send-message\",\"hi\",{\"x\":1}]", Expect.ERROR_ACK));
        c.add(chat(
                "send-message of 5,000 characters",
                "421[\"send-message\",\"" + "x".repeat(5_000) + "\"]",
                Expect.ERROR_ACK));
        c.add(chat("send-message text a number, no ack", "42[\"send-message\",42]", Expect.ERROR_EVENT));
        c.add(chat("join-room with a number", "421[\"join-room\",123]", Expect.ERROR_ACK));
        c.add(chat("join-room with null", "421[\"join-room\",null]", Expect.ERROR_ACK));
        c.add(chat("join-room with an object", "421[\"join-room\",{\"a\":1}]", Expect.ERROR_ACK));
        c.add(chat("join-room with an empty name", "421[\"join-room\",\"\"]", Expect.ERROR_ACK));
        c.add(chat("join-room with a NUL character", "421[\"join-room\",\"a\\u0000b\"]", Expect.ERROR_ACK));
        c.add(chat("join-room with a bidi override", "421[\"join-room\",\"a\\u202Eb\"]", Expect.ERROR_ACK));
        c.add(chat("join-room with 65 characters", "421[\"join-room\",\"" + "r".repeat(65) + "\"]", Expect.ERROR_ACK));
        c.add(chat("join-room with someone's socket id", "421[\"join-room\",\"" + annId() + "\"]", Expect.ERROR_ACK));
        c.add(chat("leave-room with a number", "421[\"leave-room\",123]", Expect.ERROR_ACK));
        c.add(chat("leave-room with an array", "421[\"leave-room\",[]]", Expect.ERROR_ACK));
        c.add(chat("custom event with a reserved name", "421[\"disconnect\",1]", Expect.ERROR_ACK));
        c.add(chat("custom event with a 200-character name", "421[\"" + "e".repeat(200) + "\",1]", Expect.ERROR_ACK));
        c.add(chat("binary in send-message", null, Expect.ERROR_ACK));
        // ---- HTTP long-polling ----
        c.add(post("letters in a POST", "abc"));
        c.add(post("letters as Socket.IO type in a POST", "4abc"));
        c.add(post("bad base64 record", "b!!!!"));
        c.add(post("empty records", "\u001e\u001e"));
        c.add(post("EVENT before CONNECT in a POST", "42[\"send-message\",\"too early\"]"));
        c.add(postOversized());
        c.add(duplicatePoll());
        c.add(request("handshake without EIO", "GET", SIO + "?transport=polling", 400));
        c.add(request("handshake with EIO=3", "GET", SIO + "?EIO=3&transport=polling", 400));
        c.add(request("handshake with an unknown transport", "GET", SIO + "?EIO=4&transport=flash", 400));
        c.add(request("handshake by POST", "POST", SIO + "?EIO=4&transport=polling", 400));
        c.add(request("handshake by PUT", "PUT", SIO + "?EIO=4&transport=polling", 400));
        c.add(request("poll with an unknown sid", "GET", SIO + "?EIO=4&transport=polling&sid=nope", 400));
        c.add(request("poll with a socket id as sid", "GET", SIO + "?EIO=4&transport=polling&sid=" + annId(), 400));
        c.add(request("WebSocket upgrade without the Upgrade header", "GET", SIO + "?EIO=4&transport=websocket", 400));
        c.add(raw(
                "20 kB of headers, then an Origin (polling)",
                431,
                RawExchange.request(
                        "GET", SIO + "?EIO=4&transport=polling", padding(20_000), "Origin: http://evil.example")));
        c.add(raw(
                "20 kB of headers, then an Origin (WebSocket upgrade)",
                431,
                RawExchange.request(
                        "GET",
                        SIO + "?EIO=4&transport=websocket",
                        String.join("\r\n", RawExchange.UPGRADE),
                        padding(20_000),
                        "Origin: http://evil.example")));
        c.add(raw(
                "a 5,000-byte request line",
                414,
                RawExchange.request(
                        "GET", SIO + "?EIO=4&transport=polling&x=" + "x".repeat(5_000), "Host: 127.0.0.1")));
        c.add(raw(
                "half a request head, never finished",
                408,
                "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\n" + "Host: 127.0.0.1\r\nX-Half: "));
        recoveryCases(c);
        return c;
    }

    /**
     * The Admin UI namespace (docs/PROTOCOL.md §17): wrong logins refused with its words, and
     * commands that are malformed or name nobody answered with an error while ann and bob chat on,
     * in their room (a join or kick that reached them would show in the exchange after each case).
     */
    private static void adminCases(List<Case> c) {
        c.add(wsAdminLogin("admin login with a wrong password", "{\"username\":\"admin\",\"password\":\"guess\"}"));
        c.add(wsAdminLogin("admin login without credentials", "{}"));
        c.add(wsAdmin(
                "admin join naming a socket that does not exist", "[\"join\",\"/\",\"corpus\",\"" + NOBODY + "\"]"));
        c.add(wsAdmin(
                "admin kick naming a socket that does not exist", "[\"_disconnect\",\"/\",true,\"" + NOBODY + "\"]"));
        c.add(wsAdmin("admin kick naming a room nobody is in", "[\"_disconnect\",\"/\",true,\"no such room\"]"));
        c.add(wsAdmin("admin kick with close not a boolean", "[\"_disconnect\",\"/\",\"yes\",\"ANN\"]"));
        c.add(wsAdmin("admin leave with a room that is an object", "[\"leave\",\"/\",{\"room\":1},\"ANN\"]"));
        c.add(wsAdmin("admin join into an internal room", "[\"join\",\"/\",\"\\u0001everyone\",\"ANN\"]"));
        c.add(wsAdmin("admin join with no arguments", "[\"join\"]"));
        c.add(wsAdmin("admin join with a number for namespace", "[\"join\",7,\"corpus\"]"));
        c.add(wsAdmin("admin emit of a reserved chat event", "[\"emit\",\"/\",null,\"receive-message\",\"forged\"]"));
        c.add(wsAdmin("admin emit with a filter that is a number", "[\"emit\",\"/\",5,\"note\"]"));
        c.add(wsAdmin("admin command on another namespace", "[\"_disconnect\",\"/elsewhere\",true]"));
        c.add(wsAdmin("admin command nobody knows", "[\"shutdown\",\"/\"]"));
    }

    private static Case wsAdminLogin(String name, String auth) {
        return new Case("websocket: " + name, () -> {
            try (RawWebSocket socket = open(false)) {
                socket.sendText("40/admin," + auth);
                assertThat(nextNonPeers(socket)).isEqualTo("44/admin,{\"message\":\"invalid credentials\"}");
            }
        });
    }

    /** Logged in as the admin, sends {@code command} ({@code ANN} stands for ann's id): an error comes back. */
    private static Case wsAdmin(String name, String command) {
        return new Case("websocket: " + name, () -> {
            try (RawWebSocket socket = open(false)) {
                socket.sendText(
                        "40/admin,{\"username\":\"" + ADMIN_USER + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
                assertThat(nextNonPeers(socket)).startsWith("40/admin,{\"sid\":");
                socket.sendText("42/admin," + command.replace("ANN", annId()));
                String answer = "";
                for (int i = 0; i < 20 && !answer.startsWith("42/admin,[\"" + ChatEvents.ERROR + "\""); i++) {
                    answer = nextNonPeers(socket); // session, config, all_sockets, server_stats, socket events
                }
                assertThat(answer)
                        .startsWith("42/admin,[\"" + ChatEvents.ERROR + "\",{")
                        .contains("\"ok\":false");
            }
        });
    }

    /**
     * Connection state recovery (docs/PROTOCOL.md §16): a CONNECT claiming a session with a forged
     * pid, a live socket's pid, a pid or offset of the wrong type or size gets a fresh socket (new id,
     * new pid) and chats as one; a kept session survives such claims and is taken back once.
     */
    private static void recoveryCases(List<Case> c) {
        c.add(freshAfterClaim("forged pid", "{\"pid\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"offset\":\"1\"}"));
        c.add(freshAfterClaim("pid a number", "{\"pid\":12345,\"offset\":\"1\"}"));
        c.add(freshAfterClaim("pid an object", "{\"pid\":{\"pid\":\"x\"},\"offset\":[1]}"));
        c.add(freshAfterClaim("pid of 100,000 characters", "{\"pid\":\"" + "p".repeat(100_000) + "\"}"));
        c.add(freshAfterClaim("offset without a pid", "{\"offset\":\"99999999999999999999999\"}"));
        c.add(new Case("recovery: another live socket's pid", () -> {
            try (RawWebSocket owner = open(false)) {
                owner.sendText("40");
                JSONObject granted = new JSONObject(nextNonPeers(owner).substring(2));
                JSONObject answer = claim("{\"pid\":\"" + granted.getString("pid") + "\",\"offset\":\"0\"}");
                assertThat(answer.getString("sid")).isNotEqualTo(granted.getString("sid"));
                assertThat(answer.getString("pid")).isNotEqualTo(granted.getString("pid"));
                owner.sendText("421[\"list-peers\"]");
                assertThat(nextNonPeers(owner)).startsWith("431[{\"peers\":");
            }
        }));
        c.add(new Case("recovery: a kept session outlives bad claims and is taken back once", () -> {
            JSONObject granted;
            try (RawWebSocket owner = open(false)) {
                owner.sendText("40");
                granted = new JSONObject(nextNonPeers(owner).substring(2));
                owner.sendText("421[\"join-room\",\"live\"]"); // live by its answer (in order with connecting)
                assertThat(nextNonPeers(owner)).startsWith("431[");
            } // the transport closes under it: recoverable
            String sid = granted.getString("sid");
            String pid = granted.getString("pid");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (host.connectedIds().contains(sid) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            for (String offset : List.of(
                    "\"999999999999999999\"",
                    "\"99999999999999999999\"",
                    "\"1e9\"",
                    "\"-1\"",
                    "{\"a\":1}",
                    "12",
                    "\"\"")) {
                JSONObject answer = claim("{\"pid\":\"" + pid + "\",\"offset\":" + offset + "}");
                assertThat(answer.getString("sid")).as("offset %s", offset).isNotEqualTo(sid);
            }
            JSONObject back = claim("{\"pid\":\"" + pid + "\"}");
            assertThat(back.getString("sid")).isEqualTo(sid);
            assertThat(back.getString("pid")).isEqualTo(pid);
            JSONObject again = claim("{\"pid\":\"" + pid + "\"}");
            assertThat(again.getString("sid")).as("used once").isNotEqualTo(sid);
        }));
    }

    private static Case freshAfterClaim(String name, String auth) {
        return new Case("recovery: " + name, () -> {
            JSONObject answer = claim(auth);
            assertThat(answer.getString("sid"))
                    .isNotIn(host.connectedIds().stream()
                            .filter(id -> !id.equals(answer.getString("sid")))
                            .toList());
            assertThat(answer.getString("pid")).hasSizeGreaterThanOrEqualTo(32);
        });
    }

    /** CONNECTs with {@code auth}, checks the socket chats, closes it, and returns the CONNECT answer. */
    private static JSONObject claim(String auth) throws Exception {
        try (RawWebSocket socket = open(false)) {
            socket.sendText("40" + auth);
            String answer = nextNonPeers(socket);
            assertThat(answer).startsWith("40{\"sid\":");
            socket.sendText("421[\"list-peers\"]");
            assertThat(nextNonPeers(socket)).startsWith("431[{\"peers\":");
            socket.sendText("41"); // its own disconnect: nothing is kept of it
            return new JSONObject(answer.substring(2));
        }
    }

    // ---- the cases ----

    private static Case ws(String name, boolean connectFirst, String... frames) {
        return new Case("websocket: " + name, () -> {
            try (RawWebSocket socket = open(connectFirst)) {
                for (String frame : frames) {
                    socket.sendText(frame);
                }
                Wire.awaitCloseAnsweringPings(socket, WAIT);
            }
        });
    }

    private static Case wsStaysOpen(String name, String frame) {
        return new Case("websocket: " + name + " (ignored)", () -> {
            try (RawWebSocket socket = open(true)) {
                socket.sendText(frame);
                socket.sendText("421[\"list-peers\"]");
                assertThat(nextNonPeers(socket)).startsWith("431[{\"peers\":");
            }
        });
    }

    /** A CONNECT whose {@code auth.resume.seqs} is {@code seqs}: accepted, and the socket chats as a new one. */
    private static Case wsResume(String name, String seqs) {
        return new Case("websocket: " + name + " (ignored)", () -> {
            try (RawWebSocket socket = open(false)) {
                socket.sendText("40{\"resume\":{\"at\":0,\"seqs\":" + seqs + "}}");
                assertThat(nextNonPeers(socket)).startsWith("40{\"sid\":");
                socket.sendText("421[\"list-peers\"]");
                assertThat(nextNonPeers(socket)).startsWith("431[{\"peers\":");
            }
        });
    }

    private static Case wsConnectError(String name, String frame, String expected) {
        return new Case("websocket: " + name, () -> {
            try (RawWebSocket socket = open(true)) {
                socket.sendText(frame);
                assertThat(nextNonPeers(socket)).isEqualTo(expected);
            }
        });
    }

    private static Case wsAttachmentFlood() {
        return new Case("websocket: attachment flood (2 announced, 20 sent)", () -> {
            try (RawWebSocket socket = open(true)) {
                socket.sendText("452-[\"flood\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
                for (int i = 0; i < 20 && !socket.isClosed(); i++) {
                    try {
                        socket.sendBinary(new byte[] {1, 2, 3});
                    } catch (AssertionError closedMeanwhile) {
                        break;
                    }
                }
                Wire.awaitCloseAnsweringPings(socket, WAIT);
            }
        });
    }

    private static Case wsStrayBinary() {
        return new Case("websocket: binary frame nobody announced", () -> {
            try (RawWebSocket socket = open(true)) {
                socket.sendBinary(new byte[] {9, 9, 9});
                Wire.awaitCloseAnsweringPings(socket, WAIT);
            }
        });
    }

    private static Case wsOversized() {
        return new Case("websocket: a 1.1 MB message", () -> {
            try (RawWebSocket socket = open(true)) {
                try {
                    socket.sendText("42[\"send-message\",\"" + "x".repeat(1_100_000) + "\"]");
                } catch (AssertionError closedWhileSending) {
                    // the host closed the connection before the frame was written
                }
                Wire.awaitCloseAnsweringPings(socket, WAIT);
            }
        });
    }

    private static Case wsPacketFlood() {
        return new Case("websocket: 3,000 packets at once", () -> {
            try (RawWebSocket socket = open(true)) {
                for (int i = 0; i < 3_000 && !socket.isClosed(); i++) {
                    try {
                        socket.sendText("6");
                    } catch (AssertionError closedMeanwhile) {
                        break;
                    }
                }
                Wire.awaitCloseAnsweringPings(socket, WAIT);
            }
        });
    }

    private static Case chat(String name, String frame, Expect expect) {
        return new Case("chat: " + name, () -> {
            try (RawWebSocket socket = open(true)) {
                if (frame == null) {
                    socket.sendText("451-1[\"send-message\",{\"_placeholder\":true,\"num\":0}]");
                    socket.sendBinary(new byte[] {1, 2, 3});
                } else {
                    socket.sendText(frame);
                }
                String answer = nextNonPeers(socket);
                if (expect == Expect.ERROR_ACK) {
                    assertThat(answer)
                            .startsWith("431[{")
                            .contains("\"ok\":false")
                            .contains("\"error\":");
                } else {
                    assertThat(answer)
                            .startsWith("42[\"" + ChatEvents.ERROR + "\",{")
                            .contains("\"ok\":false");
                }
            }
        });
    }

    private static Case post(String name, String body) {
        return new Case("polling: " + name, () -> {
            String sid = Wire.initLongPollingSession(base, SIO);
            try (RawHttp http = RawHttp.to(base)) {
                if (!body.startsWith("42")) {
                    assertThat(http.request("POST", Wire.polling(SIO, sid), "40")
                                    .status())
                            .isEqualTo(200);
                }
                assertThat(http.request("POST", Wire.polling(SIO, sid), body).status())
                        .isEqualTo(400);
                assertThat(http.request("GET", Wire.polling(SIO, sid), null).status())
                        .as("the session is gone")
                        .isEqualTo(400);
            }
        });
    }

    private static Case postOversized() {
        return new Case("polling: a 1.1 MB POST", () -> {
            String sid = Wire.initLongPollingSession(base, SIO);
            try (RawHttp http = RawHttp.to(base)) {
                RawHttp.Response response = http.request("POST", Wire.polling(SIO, sid), "4" + "x".repeat(1_100_000));
                assertThat(response.status())
                        .as("the answer to a 1.1 MB POST: %s", response)
                        .isEqualTo(413);
                // only the body was refused: the session is still there and closes when asked
                // (the last case checks that no session is left behind)
                RawHttp.Response close = http.request("POST", Wire.polling(SIO, sid), "1");
                assertThat(close.status())
                        .as("the close packet's answer: %s", close)
                        .isEqualTo(200);
                assertThat(close.body()).isEqualTo("ok");
            }
        });
    }

    private static Case duplicatePoll() {
        return new Case("polling: two GETs at once", () -> {
            String sid = Wire.initLongPollingSession(base, SIO);
            try (RawHttp first = RawHttp.to(base)) {
                RawHttp.Pending pending = first.send("GET", Wire.polling(SIO, sid), null);
                Thread.sleep(50);
                assertThat(RawHttp.once(base, "GET", Wire.polling(SIO, sid), null)
                                .status())
                        .isEqualTo(400);
                assertThat(pending.await(WAIT).body()).isEqualTo("1");
            }
        });
    }

    private static Case request(String name, String method, String pathAndQuery, int status) {
        return new Case("http: " + name, () -> {
            RawHttp.Response response = RawHttp.once(base, method, pathAndQuery, null);
            assertThat(response.status())
                    .as("%s %s → %s", method, pathAndQuery, response)
                    .isEqualTo(status);
            assertThat(response.body()).contains("\"message\"");
        });
    }

    // ---- WebSocket framing (RFC 6455), sent byte by byte: fragments joined, errors closed with their code ----

    private static void framingCases(List<Case> c) {
        c.add(new Case("websocket framing: CONNECT and an event each split in fragments", () -> {
            try (RawFrames socket = RawFrames.open(base, SIO + "?EIO=4&transport=websocket")) {
                assertThat(socket.nextText()).startsWith("0{");
                socket.send(RawFrames.frame(false, 0, RawFrames.TEXT, true, RawFrames.utf8("4")));
                socket.send(RawFrames.frame(true, 0, RawFrames.CONTINUATION, true, RawFrames.utf8("0")));
                assertThat(nextNonPeers(socket)).startsWith("40{\"sid\":");
                socket.send(RawFrames.frame(false, 0, RawFrames.TEXT, true, RawFrames.utf8("421[\"list-")));
                socket.send(RawFrames.frame(false, 0, RawFrames.CONTINUATION, true, RawFrames.utf8("peers")));
                socket.send(RawFrames.frame(true, 0, RawFrames.CONTINUATION, true, RawFrames.utf8("\"]")));
                assertThat(nextNonPeers(socket)).startsWith("431[{\"peers\":");
            }
        }));
        c.add(new Case("websocket framing: 1,000,001 bytes in fragments (close 1009)", () -> {
            try (RawFrames socket = openFramesConnected()) {
                WebSocketFramingTest.sendInFragments(
                        socket,
                        RawFrames.utf8("42[\"send-message\",\"" + "x".repeat(Wire.MAX_PAYLOAD - 20) + "\"]"),
                        4);
                WebSocketFramingTest.assertEndsWithOneClose(socket.awaitEnd(WAIT), 1009);
            }
        }));
        WebSocketFramingTest.violations()
                .map(Arguments::get)
                .forEach(violation ->
                        c.add(new Case("websocket framing: " + violation[0] + " (close " + violation[1] + ")", () -> {
                            try (RawFrames socket = openFramesConnected()) {
                                socket.send((byte[]) violation[2]);
                                WebSocketFramingTest.assertEndsWithOneClose(
                                        socket.awaitEnd(WAIT), (Integer) violation[1]);
                            }
                        })));
    }

    /** A byte-level WebSocket to the host whose CONNECT has been answered. */
    private static RawFrames openFramesConnected() throws Exception {
        RawFrames socket = RawFrames.open(base, SIO + "?EIO=4&transport=websocket");
        assertThat(socket.nextText()).startsWith("0{");
        socket.sendText("40");
        assertThat(nextNonPeers(socket)).startsWith("40{\"sid\":");
        return socket;
    }

    /** The next text packet on a byte-level WebSocket that is not a {@code peers} update. */
    private static String nextNonPeers(RawFrames socket) throws Exception {
        while (true) {
            String text = socket.nextText();
            if (!text.startsWith("42[\"" + ChatEvents.PEERS + "\"")) {
                return text;
            }
        }
    }

    /** A hand-written request (or part of one) that gets {@code status} with a reason, then the connection closed. */
    private static Case raw(String name, int status, String request) {
        return new Case("http: " + name, () -> {
            try (RawExchange raw = RawExchange.connect(base)) {
                RawExchange.Response response = raw.send(request).response(WAIT);
                assertThat(response.status()).as("%s", response).isEqualTo(status);
                assertThat(response.body()).contains("\"message\"");
                assertThat(raw.closedWithin(WAIT))
                        .as("closed after the refusal")
                        .isTrue();
            }
        });
    }

    // ---- helpers ----

    /** Header lines of about {@code bytes} bytes in all. */
    private static String padding(int bytes) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < bytes / 1_000; i++) {
            lines.add("X-Padding-" + i + ": " + "p".repeat(986));
        }
        return String.join("\r\n", lines);
    }

    /** A raw WebSocket to the host, its open packet read and, if asked, its CONNECT answered. */
    private static RawWebSocket open(boolean connect) {
        RawWebSocket socket = RawWebSocket.open(Wire.ws(base, SIO + "?EIO=4&transport=websocket"));
        assertThat(socket.nextText(WAIT)).startsWith("0{");
        if (connect) {
            socket.sendText("40");
            assertThat(nextNonPeers(socket)).startsWith("40{\"sid\":");
        }
        return socket;
    }

    /** The next text packet that is neither a ping nor a {@code peers} update. */
    private static String nextNonPeers(RawWebSocket socket) {
        while (true) {
            String text = Wire.nextTextIgnoringPings(socket);
            if (!text.startsWith("42[\"" + ChatEvents.PEERS + "\"")) {
                return text;
            }
        }
    }

    private static String annId() {
        try {
            return ann.awaitId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ann and Bob, connected since the start, exchange one message each way, exactly once: each
     * must be the very next message the other gets, so a doubled message of the exchange before
     * (which would arrive ahead of it) fails here. The last exchange is checked the same way by
     * one more after the corpus.
     */
    private static void chatStillWorks() throws Exception {
        int n = ++exchanges;
        assertThat(String.valueOf(ann.request(ChatEvents.SEND_MESSAGE, "from ann " + n, "corpus")[0]))
                .contains("\"ok\":true");
        assertThat(bob.nextMessage()[0])
                .as("bob's next message (anything doubled before it?)")
                .isEqualTo("from ann " + n);
        assertThat(String.valueOf(bob.request(ChatEvents.SEND_MESSAGE, "from bob " + n, "corpus")[0]))
                .contains("\"ok\":true");
        assertThat(ann.nextMessage()[0])
                .as("ann's next message (anything doubled before it?)")
                .isEqualTo("from bob " + n);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
