package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's Engine.IO v4 transport on the raw wire, where netty-socketio 2.0.14's own transport
 * (since replaced by {@code app.parley.engine}, docs/PROTOCOL.md §12) once differed from Node's
 * server: a poll response that loses no packet however many are queued, and an upgrade that
 * completes when the noop ending the pending poll overtakes {@code 3probe}. Plus Netty's epoll
 * on Linux.
 */
class HostTransportTest {
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(3);

    private final String path = "/socket.io/?EIO=4&transport=polling";
    private final HttpClient http = HttpClient.newHttpClient();
    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        // Bursts of 120 messages from one socket are the point here, not the chat's rate limit.
        host = new HostServer(HostConfig.loopback(Set.of("http://localhost:8080"))
                .withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @Test
    void onLinuxTheHostsSocketsGoThroughNettysEpoll() throws Exception {
        assumeTrue(
                System.getProperty("os.name").startsWith("Linux")
                        && Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")),
                "Netty's native epoll comes for Linux on x86-64 and ARM64");
        assertThat(Epoll.isAvailable())
                .as("epoll loads: %s", Epoll.unavailabilityCause())
                .isTrue();

        handshake();

        // Netty names the threads after the event loop group: nioEventLoopGroup-... with the JDK's selector
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("epollEventLoopGroup-"));
    }

    @Test
    void pollResponsesThatHitThePacketLimitLoseNothing() throws Exception {
        String sid = handshake();
        int acks = 120; // more than the 50 per poll response after which netty-socketio's transport lost one
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= acks; i++) {
            body.append(i > 1 ? "\u001e" : "")
                    .append("42")
                    .append(i)
                    .append("[\"join-room\",\"room")
                    .append(i)
                    .append("\"]");
        }
        assertThat(post(sid, body.toString())).isEqualTo("ok");

        Set<Integer> acked = new TreeSet<>();
        Pattern ack = Pattern.compile("^43(\\d+)\\[\"Joined room\\1\"]$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (acked.size() < acks && System.nanoTime() < deadline) {
            String payload = poll(sid);
            if (payload == null) {
                break; // nothing more is coming
            }
            for (String packet : payload.split("\u001e")) {
                Matcher m = ack.matcher(packet);
                if (m.matches()) {
                    acked.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(acked).hasSize(acks);
    }

    @Test
    void upgradeCompletesWhenTheNoopOvertakesTheProbeAnswer() throws Exception {
        String sid = handshake();
        CompletableFuture<String> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return poll(sid);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100); // let the poll reach the host before the probe

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://127.0.0.1:" + port + path.replace("polling", "websocket") + "&sid=" + sid),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    frames.add(text.toString());
                                    text.setLength(0);
                                }
                                socket.request(1);
                                return null;
                            }
                        })
                .get(5, TimeUnit.SECONDS);
        try {
            ws.sendText("2probe", true).get(5, TimeUnit.SECONDS);
            assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo("3probe");
            assertThat(pending.get(5, TimeUnit.SECONDS)).isEqualTo("6");

            // A client that handled that noop before "3probe" polls once more, then pauses on
            // that poll until it is answered; only then does it send "5" and its emits.
            assertThat(poll(sid)).isEqualTo("6");

            ws.sendText("5", true).get(5, TimeUnit.SECONDS);
            ws.sendText("421[\"join-room\",\"after-upgrade\"]", true).get(5, TimeUnit.SECONDS);
            assertThat(nextEvent(frames, "431")).isEqualTo("431[\"Joined after-upgrade\"]");
        } finally {
            ws.abort();
        }
    }

    /** Opens a session and connects it to the main namespace; returns its sid. */
    private String handshake() throws Exception {
        String open = exchange("GET", "", null);
        String sid = new JSONObject(open.split("\u001e")[0].substring(1)).getString("sid");
        assertThat(post(sid, "40")).isEqualTo("ok");
        List<String> packets = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (packets.stream().noneMatch(p -> p.startsWith("40")) && System.nanoTime() < deadline) {
            String payload = poll(sid);
            if (payload != null) {
                packets.addAll(List.of(payload.split("\u001e")));
            }
        }
        assertThat(packets).anyMatch(p -> p.startsWith("40{\"sid\""));
        return sid;
    }

    /** One long poll; null when the host has sent nothing within {@link #POLL_TIMEOUT}. */
    private String poll(String sid) throws Exception {
        return exchange("GET", "&sid=" + sid, null);
    }

    private String post(String sid, String payload) throws Exception {
        return exchange("POST", "&sid=" + sid, payload);
    }

    /**
     * One HTTP request on its own connection ({@code Connection: close}), body of the answer or
     * null on timeout. (Written when netty-socketio's transport closed every polling connection
     * although it said keep-alive; the engine keeps them alive now, see EngineConformanceTest.)
     */
    private String exchange(String method, String query, String body) throws Exception {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n"
                + (body == null
                        ? ""
                        : "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + content.length + "\r\n")
                + "\r\n";
        try (Socket raw = new Socket("127.0.0.1", port)) {
            raw.setSoTimeout((int) POLL_TIMEOUT.toMillis());
            raw.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().write(content);
            String response = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static String nextEvent(BlockingQueue<String> frames, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(200, TimeUnit.MILLISECONDS);
            if (frame != null && frame.startsWith(prefix)) {
                return frame;
            }
        }
        return null;
    }
}
