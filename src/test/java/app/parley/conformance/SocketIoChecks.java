package app.parley.conformance;

import static app.parley.conformance.EngineIoChecks.expectStatus;
import static app.parley.conformance.EngineIoChecks.openUpgrade;
import static app.parley.conformance.Wire.WAIT;
import static app.parley.conformance.Wire.polling;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

/**
 * The 32 checks of the official Socket.IO v5 black-box test suite
 * (socketio/socket.io, docs/socket.io-protocol/v5-test-suite/test-suite.js), in Java, against a
 * Socket.IO server at {@code /socket.io/} configured as the spec's "Test suite" section says:
 * pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1000000, connect timeout 1000 ms; on
 * connection to {@code /} or {@code /custom} it emits {@code auth} with the handshake's auth
 * payload, echoes {@code message} as {@code message-back} and acks {@code message-with-ack} with
 * its arguments. Each check is a method named after the official test; {@link #all()} lists them
 * in the suite's order. The suite's Engine.IO handshake, heartbeat and close checks are those of
 * the Engine.IO suite, run here at {@code /socket.io/}: {@link EngineIoChecks} holds them once.
 */
public final class SocketIoChecks {
    /** Where the Socket.IO server answers. */
    public static final String PATH = "/socket.io/";

    private static final String SUITE = "socket.io";
    private static final String PLACEHOLDERS = "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}";

    private SocketIoChecks() {}

    /** All 32 checks, in the official suite's order. */
    public static List<Check> all() {
        return List.of(
                engineIo(
                        "Engine.IO protocol / handshake / HTTP long-polling / should successfully open a session",
                        EngineIoChecks::handshakePollingSuccessfullyOpensASession),
                engineIo(
                        "Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid 'EIO' query parameter",
                        EngineIoChecks::handshakePollingFailsWithAnInvalidEioQueryParameter),
                engineIo(
                        "Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid 'transport' query parameter",
                        EngineIoChecks::handshakePollingFailsWithAnInvalidTransportQueryParameter),
                engineIo(
                        "Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid request method",
                        EngineIoChecks::handshakePollingFailsWithAnInvalidRequestMethod),
                engineIo(
                        "Engine.IO protocol / handshake / WebSocket / should successfully open a session",
                        EngineIoChecks::handshakeWebSocketSuccessfullyOpensASession),
                engineIo(
                        "Engine.IO protocol / handshake / WebSocket / should fail with an invalid 'EIO' query parameter",
                        EngineIoChecks::handshakeWebSocketFailsWithAnInvalidEioQueryParameter),
                engineIo(
                        "Engine.IO protocol / handshake / WebSocket / should fail with an invalid 'transport' query parameter",
                        EngineIoChecks::handshakeWebSocketFailsWithAnInvalidTransportQueryParameter),
                engineIo(
                        "Engine.IO protocol / heartbeat / HTTP long-polling / should send ping/pong packets",
                        EngineIoChecks::heartbeatPollingSendsPingPongPackets),
                engineIo(
                        "Engine.IO protocol / heartbeat / HTTP long-polling / should close the session upon ping timeout",
                        EngineIoChecks::heartbeatPollingClosesTheSessionUponPingTimeout),
                engineIo(
                        "Engine.IO protocol / heartbeat / WebSocket / should send ping/pong packets",
                        EngineIoChecks::heartbeatWebSocketSendsPingPongPackets),
                engineIo(
                        "Engine.IO protocol / heartbeat / WebSocket / should close the session upon ping timeout",
                        EngineIoChecks::heartbeatWebSocketClosesTheSessionUponPingTimeout),
                engineIo(
                        "Engine.IO protocol / close / HTTP long-polling / should forcefully close the session",
                        EngineIoChecks::closePollingForcefullyClosesTheSession),
                engineIo(
                        "Engine.IO protocol / close / WebSocket / should forcefully close the session",
                        EngineIoChecks::closeWebSocketForcefullyClosesTheSession),
                check(
                        "Engine.IO protocol / upgrade / should successfully upgrade from HTTP long-polling to WebSocket",
                        SocketIoChecks::upgradeShouldSuccessfullyUpgradeFromPollingToWebSocket),
                check(
                        "Engine.IO protocol / upgrade / should ignore HTTP requests with same sid after upgrade",
                        SocketIoChecks::upgradeShouldIgnoreHttpRequestsWithSameSidAfterUpgrade),
                check(
                        "Engine.IO protocol / upgrade / should ignore WebSocket connection with same sid after upgrade",
                        SocketIoChecks::upgradeShouldIgnoreWebSocketConnectionWithSameSidAfterUpgrade),
                check(
                        "Socket.IO protocol / connect / should allow connection to the main namespace",
                        SocketIoChecks::connectShouldAllowConnectionToTheMainNamespace),
                check(
                        "Socket.IO protocol / connect / should allow connection to the main namespace with a payload",
                        SocketIoChecks::connectShouldAllowConnectionToTheMainNamespaceWithAPayload),
                check(
                        "Socket.IO protocol / connect / should allow connection to a custom namespace",
                        SocketIoChecks::connectShouldAllowConnectionToACustomNamespace),
                check(
                        "Socket.IO protocol / connect / should allow connection to a custom namespace with a payload",
                        SocketIoChecks::connectShouldAllowConnectionToACustomNamespaceWithAPayload),
                check(
                        "Socket.IO protocol / connect / should disallow connection to an unknown namespace",
                        SocketIoChecks::connectShouldDisallowConnectionToAnUnknownNamespace),
                check(
                        "Socket.IO protocol / connect / should disallow connection with an invalid handshake",
                        SocketIoChecks::connectShouldDisallowConnectionWithAnInvalidHandshake),
                check(
                        "Socket.IO protocol / connect / should close the connection if no handshake is received",
                        SocketIoChecks::connectShouldCloseTheConnectionIfNoHandshakeIsReceived),
                check(
                        "Socket.IO protocol / disconnect / should disconnect from the main namespace",
                        SocketIoChecks::disconnectShouldDisconnectFromTheMainNamespace),
                check(
                        "Socket.IO protocol / disconnect / should connect then disconnect from a custom namespace",
                        SocketIoChecks::disconnectShouldConnectThenDisconnectFromACustomNamespace),
                check(
                        "Socket.IO protocol / message / should send a plain-text packet",
                        SocketIoChecks::messageShouldSendAPlainTextPacket),
                check(
                        "Socket.IO protocol / message / should send a packet with binary attachments",
                        SocketIoChecks::messageShouldSendAPacketWithBinaryAttachments),
                check(
                        "Socket.IO protocol / message / should send a plain-text packet with an ack",
                        SocketIoChecks::messageShouldSendAPlainTextPacketWithAnAck),
                check(
                        "Socket.IO protocol / message / should send a packet with binary attachments and an ack",
                        SocketIoChecks::messageShouldSendAPacketWithBinaryAttachmentsAndAnAck),
                check(
                        "Socket.IO protocol / message / should close the connection upon invalid format (unknown packet type)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponUnknownPacketType),
                check(
                        "Socket.IO protocol / message / should close the connection upon invalid format (invalid payload format)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponInvalidPayloadFormat),
                check(
                        "Socket.IO protocol / message / should close the connection upon invalid format (invalid ack id)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponInvalidAckId));
    }

    private static Check check(String name, Check.Body body) {
        return new Check(SUITE, name, body);
    }

    /** One of the Engine.IO suite's checks, as this suite repeats it: at {@link #PATH}. */
    private static Check engineIo(String name, EngineIoChecks.AtPath body) {
        return EngineIoChecks.check(SUITE, name, PATH, body);
    }

    // ==== Engine.IO protocol / upgrade
    // Unlike the Engine.IO suite's upgrade checks, the official ones here send no message after
    // the upgrade. All three wait for "3probe" before sending "5", as the official suite does
    // since March 2025 (socketio/socket.io e95f6ab; before, the last two sent "5" right behind
    // "2probe").

    public static void upgradeShouldSuccessfullyUpgradeFromPollingToWebSocket(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, PATH, sid)) {
            EngineIoChecks.probe(socket);
            socket.sendText("5");
        }
    }

    public static void upgradeShouldIgnoreHttpRequestsWithSameSidAfterUpgrade(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, PATH, sid)) {
            EngineIoChecks.probe(socket);
            socket.sendText("5");
            expectStatus(base, "GET", polling(PATH, sid), null, 400);
        }
    }

    public static void upgradeShouldIgnoreWebSocketConnectionWithSameSidAfterUpgrade(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, PATH, sid)) {
            EngineIoChecks.probe(socket);
            socket.sendText("5");
            try (RawWebSocket second = openUpgrade(base, PATH, sid)) {
                second.awaitClose(WAIT);
            }
        }
    }

    // ==== Socket.IO protocol / connect

    public static void connectShouldAllowConnectionToTheMainNamespace(URI base) {
        expectConnect(base, "40", "40", "42[\"auth\",{}]");
    }

    public static void connectShouldAllowConnectionToTheMainNamespaceWithAPayload(URI base) {
        expectConnect(base, "40{\"token\":\"123\"}", "40", "42[\"auth\",{\"token\":\"123\"}]");
    }

    public static void connectShouldAllowConnectionToACustomNamespace(URI base) {
        expectConnect(base, "40/custom,", "40/custom,", "42/custom,[\"auth\",{}]");
    }

    public static void connectShouldAllowConnectionToACustomNamespaceWithAPayload(URI base) {
        expectConnect(base, "40/custom,{\"token\":\"abc\"}", "40/custom,", "42/custom,[\"auth\",{\"token\":\"abc\"}]");
    }

    public static void connectShouldDisallowConnectionToAnUnknownNamespace(URI base) {
        try (RawWebSocket socket = openWithHandshake(base)) {
            socket.sendText("40/random");
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the answer to CONNECT /random")
                    .isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
        }
    }

    public static void connectShouldDisallowConnectionWithAnInvalidHandshake(URI base) {
        try (RawWebSocket socket = openWithHandshake(base)) {
            socket.sendText("4abc");
            Wire.awaitCloseAnsweringPings(socket, WAIT);
        }
    }

    /**
     * Pings are answered while waiting, so the close must come from the connect timeout (1000 ms),
     * not from the ping timeout that ends the official test's silent client after 500 ms.
     */
    public static void connectShouldCloseTheConnectionIfNoHandshakeIsReceived(URI base) {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, EngineIoChecks.webSocketHandshake(PATH)))) {
            assertThat(socket.upgraded())
                    .as("the WebSocket upgrade succeeded: %s", socket.closedHow())
                    .isTrue();
            Wire.awaitCloseAnsweringPings(socket, WAIT);
        }
    }

    // ==== Socket.IO protocol / disconnect

    public static void disconnectShouldDisconnectFromTheMainNamespace(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("41");
            assertThat(socket.nextText(WAIT))
                    .as("the next message after DISCONNECT (the connection lives on: a ping)")
                    .isEqualTo(Wire.PING);
        }
    }

    public static void disconnectShouldConnectThenDisconnectFromACustomNamespace(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            assertThat(socket.nextText(WAIT)).as("the next message (a ping)").isEqualTo(Wire.PING);
            socket.sendText(Wire.PONG); // not in the official test, which relies on finishing within the ping timeout
            socket.sendText("40/custom");
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the answer to CONNECT /custom")
                    .startsWith("40/custom,");
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the auth event on /custom")
                    .isEqualTo("42/custom,[\"auth\",{}]");
            socket.sendText("41/custom");
            socket.sendText("42[\"message\",\"message to main namespace\"]");
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the echo on the main namespace")
                    .isEqualTo("42[\"message-back\",\"message to main namespace\"]");
        }
    }

    // ==== Socket.IO protocol / message

    public static void messageShouldSendAPlainTextPacket(URI base) {
        expectAnswer(
                base,
                "42[\"message\",1,\"2\",{\"3\":[true]}]",
                "42[\"message-back\",1,\"2\",{\"3\":[true]}]",
                "the echo");
    }

    public static void messageShouldSendAPacketWithBinaryAttachments(URI base) {
        expectBinaryAnswer(
                base,
                "452-[\"message\"," + PLACEHOLDERS + "]",
                "452-[\"message-back\"," + PLACEHOLDERS + "]",
                "the echo");
    }

    public static void messageShouldSendAPlainTextPacketWithAnAck(URI base) {
        expectAnswer(
                base,
                "42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]",
                "43456[1,\"2\",{\"3\":[false]}]",
                "the ack");
    }

    public static void messageShouldSendAPacketWithBinaryAttachmentsAndAnAck(URI base) {
        expectBinaryAnswer(
                base,
                "452-789[\"message-with-ack\"," + PLACEHOLDERS + "]",
                "462-789[" + PLACEHOLDERS + "]",
                "the binary ack");
    }

    public static void messageShouldCloseTheConnectionUponUnknownPacketType(URI base) {
        expectCloseAfter(base, "4abc");
    }

    public static void messageShouldCloseTheConnectionUponInvalidPayloadFormat(URI base) {
        expectCloseAfter(base, "42{}");
    }

    public static void messageShouldCloseTheConnectionUponInvalidAckId(URI base) {
        expectCloseAfter(base, "42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
    }

    // ---- helpers

    private static RawWebSocket openWithHandshake(URI base) {
        return EngineIoChecks.openWithHandshake(base, PATH);
    }

    /** Engine.IO handshake, CONNECT to the main namespace, its answer and the auth event read. */
    private static RawWebSocket initSocketIoConnection(URI base) {
        RawWebSocket socket = openWithHandshake(base);
        try {
            socket.sendText("40");
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the answer to CONNECT")
                    .startsWith("40");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the auth event").startsWith("42[\"auth\"");
            return socket;
        } catch (RuntimeException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    private static void expectConnect(URI base, String connect, String answerPrefix, String auth) {
        try (RawWebSocket socket = openWithHandshake(base)) {
            socket.sendText(connect);
            String answer = Wire.nextTextIgnoringPings(socket);
            assertThat(answer).as("the answer to %s", connect).startsWith(answerPrefix);
            Wire.assertConnectPayload(answer.substring(answerPrefix.length()), answer);
            assertThat(Wire.nextTextIgnoringPings(socket))
                    .as("the auth event after %s", connect)
                    .isEqualTo(auth);
        }
    }

    /** After a full connection, {@code packet} must be answered with {@code answer}. */
    private static void expectAnswer(URI base, String packet, String answer, String what) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText(packet);
            assertThat(Wire.nextTextIgnoringPings(socket)).as(what).isEqualTo(answer);
        }
    }

    /**
     * After a full connection, {@code header} with the attachments [1, 2, 3] and [4, 5, 6] must be
     * answered with {@code answerHeader} and the same attachments.
     */
    private static void expectBinaryAnswer(URI base, String header, String answerHeader, String what) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText(header);
            socket.sendBinary(new byte[] {1, 2, 3});
            socket.sendBinary(new byte[] {4, 5, 6});
            List<RawWebSocket.Frame> packets = Wire.nextPackets(socket, 3, what);
            RawWebSocket.Frame first = packets.get(0);
            assertThat(first.isText())
                    .as("%s's first message is text, got %s", what, first)
                    .isTrue();
            assertThat(first.text()).as(what).isEqualTo(answerHeader);
            expectBinary(packets.get(1), new byte[] {1, 2, 3}, what + "'s first attachment");
            expectBinary(packets.get(2), new byte[] {4, 5, 6}, what + "'s second attachment");
        }
    }

    private static void expectBinary(RawWebSocket.Frame frame, byte[] expected, String what) {
        assertThat(frame.isText()).as("%s is binary, got %s", what, frame).isFalse();
        assertThat(frame.binary()).as(what).isEqualTo(expected);
    }

    /** After a full connection, {@code packet} must make the server end it (pings answered meanwhile). */
    private static void expectCloseAfter(URI base, String packet) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText(packet);
            Wire.awaitCloseAnsweringPings(socket, WAIT);
        }
    }
}
