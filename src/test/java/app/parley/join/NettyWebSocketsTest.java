package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.interop.NodeProcess;
import app.parley.testing.TinyProxy;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's WebSockets on Netty behave as the OkHttp ones engine.io-client was written for,
 * against a real WebSocket server (Node's {@code ws}, {@code interop/ws-peer.mjs}).
 */
class NettyWebSocketsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private NodeProcess peer;
    private int port;
    private final Events events = new Events();
    private final NettyWebSockets sockets = new NettyWebSockets(null, Duration.ofSeconds(5));

    @BeforeEach
    void start() throws Exception {
        peer = NodeProcess.start("ws-peer.mjs");
        port = peer.awaitEvent("listening", WAIT).getInt("port");
    }

    @AfterEach
    void stop() {
        sockets.close();
        peer.close();
    }

    private WebSocket open(String path) {
        Request request = new Request.Builder()
                .url("ws://127.0.0.1:" + port + path)
                .header("X-Parley-Test", "1")
                .build();
        return sockets.newWebSocket(request, events);
    }

    @Test
    void framesGoOutInOrderAndComeBackWholeEvenWhenReadInParts() throws Exception {
        WebSocket socket = open("/");
        // Sent before the handshake is done: they wait for it.
        byte[] big = new byte[1_000_000 + 7]; // many reads of the JDK's 64 KiB
        new Random(26).nextBytes(big);
        String longText = "é".repeat(150_000);
        assertThat(socket.send("first")).isTrue();
        assertThat(socket.send(ByteString.of(big))).isTrue();
        assertThat(socket.send(longText)).isTrue();
        assertThat(socket.send(ByteString.of((byte) 1, (byte) 2))).isTrue();

        assertThat(events.next()).isEqualTo("open 101");
        assertThat(events.opened.header("Sec-WebSocket-Accept"))
                .as("the server's answer, as OkHttp gave it")
                .isNotBlank();
        assertThat(events.next()).isEqualTo("text first");
        assertThat(events.next())
                .isEqualTo("binary " + ByteString.of(big).sha256().hex());
        assertThat(events.next())
                .isEqualTo("text " + ByteString.encodeUtf8(longText).sha256().hex());
        assertThat(events.next())
                .isEqualTo(
                        "binary " + ByteString.of((byte) 1, (byte) 2).sha256().hex());

        assertThat(socket.close(1000, "done")).isTrue();
        assertThat(socket.send("late")).isFalse();
        assertThat(events.next()).isEqualTo("closing 1000");
        assertThat(events.next()).isEqualTo("closed 1000");
        JSONObject closed = peer.awaitEvent("closed", WAIT);
        assertThat(closed.getInt("code")).isEqualTo(1000);
        assertThat(closed.getString("reason")).isEqualTo("done");
    }

    @Test
    void throughTheHttpProxyTheSelectorNamesTheSocketTunnels() throws Exception {
        try (TinyProxy proxy = TinyProxy.start();
                NettyWebSockets proxied = new NettyWebSockets(
                        null,
                        Duration.ofSeconds(5),
                        ProxySelector.of(InetSocketAddress.createUnresolved("localhost", proxy.port())))) {
            WebSocket socket = proxied.newWebSocket(
                    new Request.Builder().url("ws://127.0.0.1:" + port + "/").build(), events);
            assertThat(socket.send("proxied")).isTrue();
            assertThat(events.next()).isEqualTo("open 101");
            assertThat(events.next()).isEqualTo("text proxied");
            assertThat(proxy.requestLog()).contains("CONNECT 127.0.0.1:" + port);
            assertThat(socket.close(1000, "done")).isTrue();
            assertThat(events.next()).isEqualTo("closing 1000");
            assertThat(events.next()).isEqualTo("closed 1000");
        }
    }

    @Test
    void aProxyThatIsNotThereFailsTheSocket() throws Exception {
        int nothing;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            nothing = free.getLocalPort();
        }
        try (NettyWebSockets proxied = new NettyWebSockets(
                null, Duration.ofSeconds(5), ProxySelector.of(new InetSocketAddress("127.0.0.1", nothing)))) {
            proxied.newWebSocket(
                    new Request.Builder().url("ws://127.0.0.1:" + port + "/").build(), events);
            assertThat(events.next()).startsWith("failure none ");
        }
    }

    @Test
    void aCloseCodeOnlyAReceiverMayReportIsRefusedAndTheSocketGoesOn() throws Exception {
        WebSocket socket = open("/");
        assertThat(events.next()).isEqualTo("open 101");
        assertThatThrownBy(() -> socket.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.close(1000, "x".repeat(124))).isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.send("still here")).isTrue();
        assertThat(events.next()).isEqualTo("text still here");
        assertThat(socket.close(1000, "done")).isTrue();
        assertThat(events.next()).isEqualTo("closing 1000");
        assertThat(events.next()).isEqualTo("closed 1000");
    }

    @Test
    void aServersCloseFrameIsAnsweredAndReported() throws Exception {
        open("/");
        assertThat(events.next()).isEqualTo("open 101");
        peer.send(new JSONObject().put("op", "close-all"));
        assertThat(events.next()).isEqualTo("closing 4000");
        assertThat(events.next()).isEqualTo("closed 4000");
        // The server saw our answer: its close completed with the code echoed, not a dropped socket (1006).
        assertThat(peer.awaitEvent("closed", WAIT).getInt("code")).isEqualTo(4000);
    }

    @Test
    void aResetConnectionFailsAtOnceAndLaterSendsAreRefused() throws Exception {
        WebSocket socket = open("/");
        assertThat(events.next()).isEqualTo("open 101");
        assertThat(socket.send("before")).isTrue();
        assertThat(events.next()).isEqualTo("text before");
        peer.send(new JSONObject().put("op", "reset-all"));
        assertThat(events.next()).startsWith("failure none ");
        assertThat(socket.send("after")).isFalse();
    }

    @Test
    void aRefusedUpgradeFailsWithTheServersStatus() throws Exception {
        open("/refuse");
        assertThat(events.next()).startsWith("failure 403 ");
    }

    @Test
    void moreThanTheQueueHoldsClosesTheSocketAsOkHttpDoes() throws Exception {
        WebSocket socket = open("/");
        assertThat(events.next()).isEqualTo("open 101");
        byte[] tooMuch = new byte[(int) NettyWebSockets.QUEUE_LIMIT + 1];
        assertThat(socket.send(ByteString.of(tooMuch))).isFalse();
        assertThat(peer.awaitEvent("closed", WAIT).getInt("code")).isEqualTo(1001);
        assertThat(events.next()).isEqualTo("closing 1001");
        assertThat(events.next()).isEqualTo("closed 1001");
    }

    @Test
    void aServerThatNeverAnswersTheUpgradeFailsWithinTheConnectTimeout() throws Exception {
        try (NettyWebSockets quick = new NettyWebSockets(null, Duration.ofSeconds(1))) {
            quick.newWebSocket(
                    new Request.Builder()
                            .url("ws://127.0.0.1:" + port + "/silent")
                            .build(),
                    events);
            assertThat(events.next()).startsWith("failure none java.net.SocketTimeoutException");
            peer.awaitEvent("dropped", WAIT);
        }
    }

    @Test
    void closingBeforeTheUpgradeIsAnsweredLetsTheConnectionGo() throws Exception {
        WebSocket socket = open("/silent");
        Thread.sleep(200); // connected, the upgrade unanswered
        assertThat(socket.close(1000, "bye")).isTrue();
        assertThat(events.next()).isEqualTo("closed 1000");
        // at once, not at the handshake's deadline (the 5 s connect timeout)
        peer.awaitEvent("dropped", Duration.ofSeconds(2));
        assertThat(events.lines.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSocketCancelledBeforeItOpensSaysSoAndNothingAfter() throws Exception {
        // a peer that never answers the upgrade: on "/" the handshake could finish before cancel()
        WebSocket socket = open("/silent");
        socket.cancel();
        assertThat(events.next()).isEqualTo("failure none java.io.IOException: Canceled");
        assertThat(events.lines.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(socket.send("late")).isFalse();
    }

    @Test
    void aClosedFactorysNewSocketFails() throws Exception {
        sockets.close();
        open("/");
        assertThat(events.next())
                .isEqualTo("failure none java.io.IOException: this connection's WebSockets are closed");
    }

    @Test
    void nothingListeningIsAFailureWithoutAResponse() throws Exception {
        peer.close();
        open("/");
        assertThat(events.next()).startsWith("failure none ");
    }

    /** What the listener heard, a line each. */
    private static final class Events extends WebSocketListener {
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private volatile Response opened;

        String next() throws InterruptedException {
            String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("the next listener call within %s", WAIT).isNotNull();
            return line;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened = response;
            lines.add("open " + response.code());
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            lines.add("text "
                    + (text.length() > 10 ? ByteString.encodeUtf8(text).sha256().hex() : text));
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            lines.add("binary " + bytes.sha256().hex());
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            lines.add("closing " + code);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            lines.add("closed " + code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            lines.add("failure " + (response == null ? "none" : response.code()) + " " + t);
        }
    }
}
