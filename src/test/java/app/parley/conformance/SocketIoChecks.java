package app.parley.conformance;

import static app.parley.conformance.EngineIoChecks.expectStatus;
import static app.parley.conformance.EngineIoChecks.expectWebSocketClosed;
import static app.parley.conformance.Wire.SETTLE_MILLIS;
import static app.parley.conformance.Wire.WAIT;
import static app.parley.conformance.Wire.polling;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * in the suite's order.
 */
public final class SocketIoChecks {
    /** Where the Socket.IO server answers. */
    public static final String PATH = "/socket.io/";
    private static final String SUITE = "socket.io";
    private static final String POLLING = PATH + "?EIO=4&transport=polling";
    private static final String WEBSOCKET = PATH + "?EIO=4&transport=websocket";
    private static final String PLACEHOLDERS = "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}";

    private SocketIoChecks() {
    }

    /** All 32 checks, in the official suite's order. */
    public static List<Check> all() {
        return List.of(
                check("Engine.IO protocol / handshake / HTTP long-polling / should successfully open a session",
                        SocketIoChecks::handshakePollingShouldSuccessfullyOpenASession),
                check("Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid 'EIO' query parameter",
                        SocketIoChecks::handshakePollingShouldFailWithAnInvalidEioQueryParameter),
                check("Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid 'transport' query parameter",
                        SocketIoChecks::handshakePollingShouldFailWithAnInvalidTransportQueryParameter),
                check("Engine.IO protocol / handshake / HTTP long-polling / should fail with an invalid request method",
                        SocketIoChecks::handshakePollingShouldFailWithAnInvalidRequestMethod),
                check("Engine.IO protocol / handshake / WebSocket / should successfully open a session",
                        SocketIoChecks::handshakeWebSocketShouldSuccessfullyOpenASession),
                check("Engine.IO protocol / handshake / WebSocket / should fail with an invalid 'EIO' query parameter",
                        SocketIoChecks::handshakeWebSocketShouldFailWithAnInvalidEioQueryParameter),
                check("Engine.IO protocol / handshake / WebSocket / should fail with an invalid 'transport' query parameter",
                        SocketIoChecks::handshakeWebSocketShouldFailWithAnInvalidTransportQueryParameter),
                check("Engine.IO protocol / heartbeat / HTTP long-polling / should send ping/pong packets",
                        SocketIoChecks::heartbeatPollingShouldSendPingPongPackets),
                check("Engine.IO protocol / heartbeat / HTTP long-polling / should close the session upon ping timeout",
                        SocketIoChecks::heartbeatPollingShouldCloseTheSessionUponPingTimeout),
                check("Engine.IO protocol / heartbeat / WebSocket / should send ping/pong packets",
                        SocketIoChecks::heartbeatWebSocketShouldSendPingPongPackets),
                check("Engine.IO protocol / heartbeat / WebSocket / should close the session upon ping timeout",
                        SocketIoChecks::heartbeatWebSocketShouldCloseTheSessionUponPingTimeout),
                check("Engine.IO protocol / close / HTTP long-polling / should forcefully close the session",
                        SocketIoChecks::closePollingShouldForcefullyCloseTheSession),
                check("Engine.IO protocol / close / WebSocket / should forcefully close the session",
                        SocketIoChecks::closeWebSocketShouldForcefullyCloseTheSession),
                check("Engine.IO protocol / upgrade / should successfully upgrade from HTTP long-polling to WebSocket",
                        SocketIoChecks::upgradeShouldSuccessfullyUpgradeFromPollingToWebSocket),
                check("Engine.IO protocol / upgrade / should ignore HTTP requests with same sid after upgrade",
                        SocketIoChecks::upgradeShouldIgnoreHttpRequestsWithSameSidAfterUpgrade),
                check("Engine.IO protocol / upgrade / should ignore WebSocket connection with same sid after upgrade",
                        SocketIoChecks::upgradeShouldIgnoreWebSocketConnectionWithSameSidAfterUpgrade),
                check("Socket.IO protocol / connect / should allow connection to the main namespace",
                        SocketIoChecks::connectShouldAllowConnectionToTheMainNamespace),
                check("Socket.IO protocol / connect / should allow connection to the main namespace with a payload",
                        SocketIoChecks::connectShouldAllowConnectionToTheMainNamespaceWithAPayload),
                check("Socket.IO protocol / connect / should allow connection to a custom namespace",
                        SocketIoChecks::connectShouldAllowConnectionToACustomNamespace),
                check("Socket.IO protocol / connect / should allow connection to a custom namespace with a payload",
                        SocketIoChecks::connectShouldAllowConnectionToACustomNamespaceWithAPayload),
                check("Socket.IO protocol / connect / should disallow connection to an unknown namespace",
                        SocketIoChecks::connectShouldDisallowConnectionToAnUnknownNamespace),
                check("Socket.IO protocol / connect / should disallow connection with an invalid handshake",
                        SocketIoChecks::connectShouldDisallowConnectionWithAnInvalidHandshake),
                check("Socket.IO protocol / connect / should close the connection if no handshake is received",
                        SocketIoChecks::connectShouldCloseTheConnectionIfNoHandshakeIsReceived),
                check("Socket.IO protocol / disconnect / should disconnect from the main namespace",
                        SocketIoChecks::disconnectShouldDisconnectFromTheMainNamespace),
                check("Socket.IO protocol / disconnect / should connect then disconnect from a custom namespace",
                        SocketIoChecks::disconnectShouldConnectThenDisconnectFromACustomNamespace),
                check("Socket.IO protocol / message / should send a plain-text packet",
                        SocketIoChecks::messageShouldSendAPlainTextPacket),
                check("Socket.IO protocol / message / should send a packet with binary attachments",
                        SocketIoChecks::messageShouldSendAPacketWithBinaryAttachments),
                check("Socket.IO protocol / message / should send a plain-text packet with an ack",
                        SocketIoChecks::messageShouldSendAPlainTextPacketWithAnAck),
                check("Socket.IO protocol / message / should send a packet with binary attachments and an ack",
                        SocketIoChecks::messageShouldSendAPacketWithBinaryAttachmentsAndAnAck),
                check("Socket.IO protocol / message / should close the connection upon invalid format (unknown packet type)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponUnknownPacketType),
                check("Socket.IO protocol / message / should close the connection upon invalid format (invalid payload format)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponInvalidPayloadFormat),
                check("Socket.IO protocol / message / should close the connection upon invalid format (invalid ack id)",
                        SocketIoChecks::messageShouldCloseTheConnectionUponInvalidAckId));
    }

    private static Check check(String name, Check.Body body) {
        return new Check(SUITE, name, body);
    }

    // ==== Engine.IO protocol / handshake / HTTP long-polling

    public static void handshakePollingShouldSuccessfullyOpenASession(URI base) throws Exception {
        RawHttp.Response response = RawHttp.once(base, "GET", POLLING, null);
        assertThat(response.status()).as("GET %s answered %s", POLLING, response).isEqualTo(200);
        Wire.assertOpenPacket(response.body(), List.of("websocket"));
    }

    public static void handshakePollingShouldFailWithAnInvalidEioQueryParameter(URI base) throws Exception {
        expectStatus(base, "GET", PATH + "?transport=polling", null, 400);
        expectStatus(base, "GET", PATH + "?EIO=abc&transport=polling", null, 400);
    }

    public static void handshakePollingShouldFailWithAnInvalidTransportQueryParameter(URI base) throws Exception {
        expectStatus(base, "GET", PATH + "?EIO=4", null, 400);
        expectStatus(base, "GET", PATH + "?EIO=4&transport=abc", null, 400);
    }

    public static void handshakePollingShouldFailWithAnInvalidRequestMethod(URI base) throws Exception {
        expectStatus(base, "POST", POLLING, null, 400);
        expectStatus(base, "PUT", POLLING, null, 400);
    }

    // ==== Engine.IO protocol / handshake / WebSocket

    public static void handshakeWebSocketShouldSuccessfullyOpenASession(URI base) {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, WEBSOCKET))) {
            Wire.assertOpenPacket(socket.nextText(WAIT), List.of());
        }
    }

    /** The official test forgets to await the close (it always passes); here the close is required. */
    public static void handshakeWebSocketShouldFailWithAnInvalidEioQueryParameter(URI base) {
        expectWebSocketClosed(base, PATH + "?transport=websocket");
        expectWebSocketClosed(base, PATH + "?EIO=abc&transport=websocket");
    }

    /** The official test forgets to await the close (it always passes); here the close is required. */
    public static void handshakeWebSocketShouldFailWithAnInvalidTransportQueryParameter(URI base) {
        expectWebSocketClosed(base, PATH + "?EIO=4");
        expectWebSocketClosed(base, PATH + "?EIO=4&transport=abc");
    }

    // ==== Engine.IO protocol / heartbeat

    public static void heartbeatPollingShouldSendPingPongPackets(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawHttp http = RawHttp.to(base)) {
            for (int i = 1; i <= 3; i++) {
                RawHttp.Response poll = http.request("GET", polling(PATH, sid), null);
                assertThat(poll.status()).as("poll %d answered %s", i, poll).isEqualTo(200);
                assertThat(poll.body()).as("poll %d's payload (a ping)", i).isEqualTo(Wire.PING);
                RawHttp.Response push = http.request("POST", polling(PATH, sid), Wire.PONG);
                assertThat(push.status()).as("the pong POST %d answered %s", i, push).isEqualTo(200);
            }
        }
    }

    public static void heartbeatPollingShouldCloseTheSessionUponPingTimeout(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        Wire.sleep(Wire.PING_INTERVAL + Wire.PING_TIMEOUT + Wire.TIMER_SLACK_MILLIS);
        expectStatus(base, "GET", polling(PATH, sid), null, 400);
    }

    public static void heartbeatWebSocketShouldSendPingPongPackets(URI base) {
        try (RawWebSocket socket = openWithHandshake(base)) {
            for (int i = 1; i <= 3; i++) {
                assertThat(socket.nextText(WAIT)).as("message %d after the handshake (a ping)", i)
                        .isEqualTo(Wire.PING);
                socket.sendText(Wire.PONG);
            }
        }
    }

    public static void heartbeatWebSocketShouldCloseTheSessionUponPingTimeout(URI base) {
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, WEBSOCKET))) {
            assertThat(socket.upgraded()).as("the WebSocket upgrade succeeded: %s", socket.closedHow()).isTrue();
            socket.awaitClose(WAIT);
        }
    }

    // ==== Engine.IO protocol / close

    public static void closePollingShouldForcefullyCloseTheSession(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawHttp poller = RawHttp.to(base); RawHttp pusher = RawHttp.to(base)) {
            RawHttp.Pending poll = poller.send("GET", polling(PATH, sid), null);
            Wire.sleep(SETTLE_MILLIS);
            RawHttp.Pending push = pusher.send("POST", polling(PATH, sid), "1");
            RawHttp.Response pollResponse = poll.await(WAIT);
            assertThat(pollResponse.status()).as("the pending poll answered %s", pollResponse).isEqualTo(200);
            assertThat(pollResponse.body()).as("the pending poll's payload (a noop)").isEqualTo("6");
            try {
                push.await(WAIT);
            } catch (IOException e) {
                // the suite does not look at the POST's answer
            }
        }
        expectStatus(base, "GET", polling(PATH, sid), null, 400);
    }

    /**
     * As in the official test, pings are not answered: the Node.js reference (engine.io 6) ignores a
     * CLOSE packet sent over WebSocket and passes only because the silent client then hits the ping
     * timeout, so here, too, any end of the session within the bound counts.
     */
    public static void closeWebSocketShouldForcefullyCloseTheSession(URI base) {
        try (RawWebSocket socket = openWithHandshake(base)) {
            socket.sendText("1");
            socket.awaitClose(WAIT);
        }
    }

    // ==== Engine.IO protocol / upgrade

    public static void upgradeShouldSuccessfullyUpgradeFromPollingToWebSocket(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, sid)) {
            socket.sendText("2probe");
            assertThat(socket.nextText(WAIT)).as("the answer to the probe").isEqualTo("3probe");
            socket.sendText("5");
        }
    }

    public static void upgradeShouldIgnoreHttpRequestsWithSameSidAfterUpgrade(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, sid)) {
            // as in the official test, the upgrade is completed without waiting for "3probe"
            socket.sendText("2probe");
            socket.sendText("5");
            expectStatus(base, "GET", polling(PATH, sid), null, 400);
        }
    }

    public static void upgradeShouldIgnoreWebSocketConnectionWithSameSidAfterUpgrade(URI base) throws Exception {
        String sid = Wire.initLongPollingSession(base, PATH);
        try (RawWebSocket socket = openUpgrade(base, sid)) {
            socket.sendText("2probe");
            socket.sendText("5");
            try (RawWebSocket second = openUpgrade(base, sid)) {
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
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the answer to CONNECT /random")
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
        try (RawWebSocket socket = RawWebSocket.open(Wire.ws(base, WEBSOCKET))) {
            assertThat(socket.upgraded()).as("the WebSocket upgrade succeeded: %s", socket.closedHow()).isTrue();
            Wire.awaitCloseAnsweringPings(socket, WAIT);
        }
    }

    // ==== Socket.IO protocol / disconnect

    public static void disconnectShouldDisconnectFromTheMainNamespace(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("41");
            assertThat(socket.nextText(WAIT)).as("the next message after DISCONNECT (the connection lives on: a ping)")
                    .isEqualTo(Wire.PING);
        }
    }

    public static void disconnectShouldConnectThenDisconnectFromACustomNamespace(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            assertThat(socket.nextText(WAIT)).as("the next message (a ping)").isEqualTo(Wire.PING);
            socket.sendText(Wire.PONG); // not in the official test, which relies on finishing within the ping timeout
            socket.sendText("40/custom");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the answer to CONNECT /custom").startsWith("40/custom,");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the auth event on /custom")
                    .isEqualTo("42/custom,[\"auth\",{}]");
            socket.sendText("41/custom");
            socket.sendText("42[\"message\",\"message to main namespace\"]");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the echo on the main namespace")
                    .isEqualTo("42[\"message-back\",\"message to main namespace\"]");
        }
    }

    // ==== Socket.IO protocol / message

    public static void messageShouldSendAPlainTextPacket(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("42[\"message\",1,\"2\",{\"3\":[true]}]");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the echo")
                    .isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
        }
    }

    public static void messageShouldSendAPacketWithBinaryAttachments(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("452-[\"message\"," + PLACEHOLDERS + "]");
            socket.sendBinary(new byte[] {1, 2, 3});
            socket.sendBinary(new byte[] {4, 5, 6});
            expectBinaryPacket(socket, "452-[\"message-back\"," + PLACEHOLDERS + "]", "the echo");
        }
    }

    public static void messageShouldSendAPlainTextPacketWithAnAck(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the ack")
                    .isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
        }
    }

    public static void messageShouldSendAPacketWithBinaryAttachmentsAndAnAck(URI base) {
        try (RawWebSocket socket = initSocketIoConnection(base)) {
            socket.sendText("452-789[\"message-with-ack\"," + PLACEHOLDERS + "]");
            socket.sendBinary(new byte[] {1, 2, 3});
            socket.sendBinary(new byte[] {4, 5, 6});
            expectBinaryPacket(socket, "462-789[" + PLACEHOLDERS + "]", "the binary ack");
        }
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
        RawWebSocket socket = RawWebSocket.open(Wire.ws(base, WEBSOCKET));
        try {
            assertThat(socket.nextText(WAIT)).as("the Engine.IO handshake").startsWith("0");
            return socket;
        } catch (RuntimeException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    private static RawWebSocket openUpgrade(URI base, String sid) {
        return RawWebSocket.open(Wire.ws(base, WEBSOCKET + "&sid=" + Wire.encode(sid)));
    }

    /** Engine.IO handshake, CONNECT to the main namespace, its answer and the auth event read. */
    private static RawWebSocket initSocketIoConnection(URI base) {
        RawWebSocket socket = openWithHandshake(base);
        try {
            socket.sendText("40");
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the answer to CONNECT").startsWith("40");
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
            assertThat(Wire.nextTextIgnoringPings(socket)).as("the auth event after %s", connect).isEqualTo(auth);
        }
    }

    private static void expectBinaryPacket(RawWebSocket socket, String header, String what) {
        List<RawWebSocket.Frame> packets = Wire.nextPackets(socket, 3, what);
        RawWebSocket.Frame first = packets.get(0);
        assertThat(first.isText()).as("%s's first message is text, got %s", what, first).isTrue();
        assertThat(first.text()).as(what).isEqualTo(header);
        expectBinary(packets.get(1), new byte[] {1, 2, 3}, what + "'s first attachment");
        expectBinary(packets.get(2), new byte[] {4, 5, 6}, what + "'s second attachment");
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
