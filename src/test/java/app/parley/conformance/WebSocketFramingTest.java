package app.parley.conformance;

import static app.parley.conformance.RawFrames.BINARY;
import static app.parley.conformance.RawFrames.CONTINUATION;
import static app.parley.conformance.RawFrames.PING;
import static app.parley.conformance.RawFrames.PONG;
import static app.parley.conformance.RawFrames.TEXT;
import static app.parley.conformance.RawFrames.frame;
import static app.parley.conformance.RawFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.ProtocolEchoServer;
import app.parley.engine.SocketIoEngine;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 framing on the engine's WebSockets, as Node's {@code ws} does it: fragmented messages
 * are joined (the 1,000,000-byte cap applies to the whole message), and every framing error ends
 * the connection with exactly one close frame carrying its code (1009 too big, 1007 invalid
 * UTF-8, 1002 any other protocol error) before the TCP connection closes. Sent at the byte
 * level ({@link RawFrames}) to the bare engine ({@link ProtocolEchoServer}).
 */
class WebSocketFramingTest {
    private static final String ENGINE_IO = EngineIoChecks.PATH + "?EIO=4&transport=websocket";
    private static final String SOCKET_IO = SocketIoChecks.PATH + "?EIO=4&transport=websocket";
    private static SocketIoEngine engine;
    private static URI base;

    @BeforeAll
    static void startEchoServer() {
        engine = ProtocolEchoServer.create(0);
        base = URI.create("http://127.0.0.1:" + engine.start());
    }

    @AfterAll
    static void stopEchoServer() {
        if (engine != null) {
            engine.stop();
        }
    }

    @Test
    void aSocketIoPacketSplitInFragmentsIsOnePacket() throws Exception {
        try (RawFrames socket = RawFrames.open(base, SOCKET_IO)) {
            assertThat(socket.nextText()).startsWith("0{");
            socket.send(frame(false, 0, TEXT, true, utf8("4")));
            socket.send(frame(true, 0, CONTINUATION, true, utf8("0")));
            assertThat(socket.nextText())
                    .as("the answer to a CONNECT sent as \"4\" + \"0\"")
                    .startsWith("40{\"sid\":");
            assertThat(socket.nextText()).isEqualTo("42[\"auth\",{}]");
            // three fragments, with a ping between them (control frames may interleave)
            socket.send(frame(false, 0, TEXT, true, utf8("42[\"message\",\"hel")));
            socket.send(frame(true, 0, PING, true, utf8("are you there")));
            socket.send(frame(false, 0, CONTINUATION, true, utf8("lo wor")));
            socket.send(frame(true, 0, CONTINUATION, true, utf8("ld\"]")));
            RawFrames.Frame pong = socket.next();
            assertThat(pong.opcode()).as("the answer to the ping, %s", pong).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(socket.nextText()).isEqualTo("42[\"message-back\",\"hello world\"]");
        }
    }

    @Test
    void aMultiByteCharacterSplitBetweenFragmentsIsJoined() throws Exception {
        byte[] euro = utf8("4€uro");
        try (RawFrames socket = RawFrames.open(base, ENGINE_IO)) {
            assertThat(socket.nextText()).startsWith("0{");
            socket.send(frame(false, 0, TEXT, true, java.util.Arrays.copyOfRange(euro, 0, 2)));
            socket.send(frame(true, 0, CONTINUATION, true, java.util.Arrays.copyOfRange(euro, 2, euro.length)));
            assertThat(socket.nextText()).isEqualTo("4€uro");
        }
    }

    @Test
    void aFragmentedBinaryMessageIsOnePacket() throws Exception {
        try (RawFrames socket = RawFrames.open(base, ENGINE_IO)) {
            assertThat(socket.nextText()).startsWith("0{");
            socket.send(frame(false, 0, BINARY, true, new byte[] {1, 2}));
            socket.send(frame(true, 0, CONTINUATION, true, new byte[] {3}));
            RawFrames.Frame echo = socket.next();
            assertThat(echo.opcode()).isEqualTo(BINARY);
            assertThat(echo.payload()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aFragmentedMessageOfExactlyMaxPayloadIsAccepted() throws Exception {
        String message = "4" + "x".repeat(Wire.MAX_PAYLOAD - 1);
        try (RawFrames socket = RawFrames.open(base, ENGINE_IO)) {
            assertThat(socket.nextText()).startsWith("0{");
            sendInFragments(socket, utf8(message), 4);
            String echo = socket.nextText();
            assertThat(echo.length()).as("the echo's length").isEqualTo(message.length());
            assertThat(echo.equals(message)).as("the echo equals the message").isTrue();
        }
    }

    @Test
    void oneByteOverMaxPayloadInFragmentsGetsClose1009AndNobodyElseNotices() throws Exception {
        try (RawFrames bystander = RawFrames.open(base, ENGINE_IO);
                RawFrames big = RawFrames.open(base, ENGINE_IO)) {
            assertThat(bystander.nextText()).startsWith("0{");
            assertThat(big.nextText()).startsWith("0{");
            sendInFragments(big, utf8("4" + "x".repeat(Wire.MAX_PAYLOAD)), 4);
            assertEndsWithOneClose(big.awaitEnd(Wire.WAIT), 1009);
            bystander.sendText("4still here");
            assertThat(bystander.nextText()).isEqualTo("4still here");
        }
    }

    @Test
    void aSingleFrameOneByteOverMaxPayloadGetsClose1009() throws Exception {
        try (RawFrames big = RawFrames.open(base, ENGINE_IO)) {
            assertThat(big.nextText()).startsWith("0{");
            try {
                big.send(frame(TEXT, utf8("4" + "x".repeat(Wire.MAX_PAYLOAD))));
            } catch (java.io.IOException refusedWhileSending) {
                // the server may stop reading once the header says too much; its close frame is already sent
            }
            assertEndsWithOneClose(big.awaitEnd(Wire.WAIT), 1009);
        }
    }

    /**
     * Framing errors, each around a packet that is valid on its own (at the Engine.IO echo and at
     * a chat host), so only the framing can be why the connection ends: name, close code, bytes.
     */
    static Stream<Arguments> violations() {
        byte[] valid = utf8("42[\"message\",\"hello\"]");
        byte[] invalidUtf8 = {'4', (byte) 0xC3, (byte) 0x28};
        return Stream.of(
                Arguments.of("invalid UTF-8 in a text frame", 1007, frame(TEXT, invalidUtf8)),
                Arguments.of(
                        "invalid UTF-8 across fragments",
                        1007,
                        concat(
                                frame(false, 0, TEXT, true, new byte[] {'4', (byte) 0xE2, (byte) 0x82}),
                                frame(true, 0, CONTINUATION, true, new byte[] {'x'}))),
                Arguments.of("an unmasked frame", 1002, frame(true, 0, TEXT, false, valid)),
                Arguments.of("a reserved bit set", 1002, frame(true, 4, TEXT, true, valid)),
                Arguments.of("a reserved opcode", 1002, frame(true, 0, 0x3, true, valid)),
                Arguments.of("a fragmented ping", 1002, frame(false, 0, PING, true, utf8("x"))),
                Arguments.of("a ping of 126 bytes", 1002, frame(PING, new byte[126])),
                Arguments.of("a continuation without a start", 1002, frame(true, 0, CONTINUATION, true, valid)),
                Arguments.of(
                        "a new message inside a fragmented one",
                        1002,
                        concat(frame(false, 0, TEXT, true, valid), frame(true, 0, TEXT, true, valid))));
    }

    @ParameterizedTest(name = "{0}: close {1}")
    @MethodSource("violations")
    void aFramingErrorGetsExactlyOneCloseFrameWithItsCode(String name, int code, byte[] bytes) throws Exception {
        try (RawFrames socket = RawFrames.open(base, ENGINE_IO)) {
            assertThat(socket.nextText()).startsWith("0{");
            socket.send(bytes);
            assertEndsWithOneClose(socket.awaitEnd(Wire.WAIT), code);
        }
    }

    @Test
    void aFramingErrorOnAProbeEndsOnlyTheProbe() throws Exception {
        String sid = Wire.initLongPollingSession(base, EngineIoChecks.PATH);
        try (RawFrames probe = RawFrames.open(base, ENGINE_IO + "&sid=" + Wire.encode(sid))) {
            probe.send(frame(true, 0, TEXT, false, utf8("2probe")));
            assertEndsWithOneClose(probe.awaitEnd(Wire.WAIT), 1002);
        }
        try (RawHttp http = RawHttp.to(base)) {
            assertThat(http.request("POST", Wire.polling(EngineIoChecks.PATH, sid), "4still polling")
                            .body())
                    .isEqualTo("ok");
            assertThat(http.request("GET", Wire.polling(EngineIoChecks.PATH, sid), null)
                            .body())
                    .isEqualTo("4still polling");
        }
    }

    /** One close frame with {@code code}, nothing after it, then the server's end of the TCP connection. */
    static void assertEndsWithOneClose(RawFrames.Ending ending, int code) {
        assertThat(ending.closeFrames()).as("close frames in %s", ending).hasSize(1);
        assertThat(ending.closeFrames().get(0).closeCode())
                .as("the close code in %s", ending)
                .isEqualTo(code);
        assertThat(ending.frames().get(ending.frames().size() - 1).opcode())
                .as("the last frame of %s", ending)
                .isEqualTo(RawFrames.CLOSE);
        assertThat(ending.how()).as("how %s ended", ending).isEqualTo("closed by the server");
    }

    /** {@code message} as a text message in {@code parts} fragments. */
    static void sendInFragments(RawFrames socket, byte[] message, int parts) throws java.io.IOException {
        int size = (message.length + parts - 1) / parts;
        for (int i = 0; i < parts; i++) {
            int from = i * size;
            int to = Math.min(message.length, from + size);
            socket.send(frame(
                    i == parts - 1,
                    0,
                    i == 0 ? TEXT : CONTINUATION,
                    true,
                    java.util.Arrays.copyOfRange(message, from, to)));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
