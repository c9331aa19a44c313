package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.conformance.RawWebSocket;
import app.parley.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A headless host in a process of its own, flooded for 3 s by peers that stay within its limits
 * (custom events with 10 kB arguments at the allowed rate) and by peers it refuses (over-size
 * WebSocket messages, packets for a 10 kB namespace): what it prints (stdout and stderr, as a
 * person running {@code parley-host} sees them) stays small, has no stack trace, no more than a
 * short prefix of what the peers sent, and no control character a peer could forge a line with.
 */
class HeadlessHostLogTest {
    private static final Pattern LISTENING = Pattern.compile("Parley host listening on http://[^:/]+:(\\d+)");
    private static final long FLOOD_MILLIS = 3_000;
    private static final int MIN_EVENTS = 200;
    private static final int MIN_REFUSED = 10;
    private static final int LOG_BOUND = 64 * 1024;
    /** Peer data with a forged log line and a terminal escape in it. */
    private static final String FORGERY = "\n12:00:00.000 [main] WARN HostServer - forged\n\tat forged.Frame\u001b[2J";

    private static final String FILLER = "peer-data-";

    @Test
    @Timeout(90)
    void aFloodOfPeerInputLeavesABoundedLogWithoutTracesOrPeerData(@TempDir Path dir) throws Exception {
        Process host = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.parley.app.Launcher",
                        "--host",
                        "--headless",
                        "--bind",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--history",
                        dir.resolve("history.db").toString())
                .redirectErrorStream(true)
                .start();
        Output output = new Output(host.getInputStream());
        ExecutorService flood = Executors.newCachedThreadPool();
        try {
            int port = output.awaitPort();
            long before = output.size();
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(RawClient.connect(port, new String[] {"websocket"}, Map.of()));
            }
            for (RawClient client : clients) {
                client.awaitId();
            }
            long floodEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS);
            long givingUp = floodEnds + TimeUnit.SECONDS.toNanos(15);
            String big = FORGERY + FILLER.repeat(1_000);
            AtomicInteger emitted = new AtomicInteger();
            AtomicInteger refusedFrames = new AtomicInteger();
            // The flood lasts its 3 s, and on a loaded machine longer, until it was a flood.
            BooleanSupplier flooding = () -> {
                long now = System.nanoTime();
                return now < floodEnds
                        || (now < givingUp && (emitted.get() <= MIN_EVENTS || refusedFrames.get() <= MIN_REFUSED));
            };
            List<Future<?>> senders = new ArrayList<>();
            for (RawClient client : clients) {
                senders.add(flood.submit(() -> customEvents(client, big, flooding, emitted)));
            }
            for (int i = 0; i < 3; i++) {
                senders.add(flood.submit(() -> oversizeFrames(port, flooding, refusedFrames)));
            }
            senders.add(flood.submit(() -> badNamespaces(port, flooding, refusedFrames)));
            senders.add(flood.submit(() -> badOrigins(port, flooding, refusedFrames)));
            for (Future<?> sender : senders) {
                sender.get(30, TimeUnit.SECONDS);
            }

            try (RawClient after = RawClient.connect(port, new String[] {"websocket"}, Map.of())) {
                after.awaitId();
                assertThat(after.request("send-message", "still here", "")[0].toString())
                        .contains("\"ok\":true");
            }
            Thread.sleep(500); // what the flood caused has been written
            long written = output.size() - before;
            String log = output.text();
            System.out.printf(
                    "%d custom events and %d refused connections in %d ms: %,d bytes logged%n",
                    emitted.get(), refusedFrames.get(), FLOOD_MILLIS, written);
            assertThat(emitted.get()).as("custom events sent within the rate").isGreaterThan(MIN_EVENTS);
            assertThat(refusedFrames.get()).as("refused connections").isGreaterThan(MIN_REFUSED);
            assertThat(written)
                    .as("bytes logged during the flood:\n%s", head(log))
                    .isLessThan(LOG_BOUND);
            assertThat(log)
                    .as("no stack trace, no forged line")
                    .doesNotContain("\tat ")
                    .doesNotContain("\u001b")
                    .doesNotContain("\nforged")
                    .doesNotContain("\n12:00:00.000");
            assertThat(log).as("at most a short prefix of peer data").doesNotContain(FILLER.repeat(10));
            assertThat(log).as("the host still says what happens").contains("flood-event");
        } finally {
            flood.shutdownNow();
            host.destroyForcibly();
            host.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Custom events with 10 kB arguments, one every 30 ms: within the default 60-burst, 20-a-second budget. */
    private static Void customEvents(RawClient client, String big, BooleanSupplier flooding, AtomicInteger emitted)
            throws Exception {
        try (client) {
            while (flooding.getAsBoolean()) {
                client.socket().emit("flood-event", big, 10);
                emitted.incrementAndGet();
                Thread.sleep(30);
            }
        }
        return null;
    }

    /**
     * One WebSocket after another, each announcing a message over the 1 MB limit in a single
     * frame and sending its first 64 kB: refused by the frame's header, before the rest arrives.
     */
    private static Void oversizeFrames(int port, BooleanSupplier flooding, AtomicInteger refused) throws IOException {
        byte[] start = (FORGERY + FILLER.repeat(6_500)).getBytes(StandardCharsets.UTF_8);
        while (flooding.getAsBoolean()) {
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(5_000);
                OutputStream out = raw.getOutputStream();
                out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = raw.getInputStream();
                assertThat(responseHead(in)).startsWith("HTTP/1.1 101");
                // FIN + text, masked, 64-bit length 1,100,000, mask 0 (the bytes go as they are)
                ByteBuffer header = ByteBuffer.allocate(14)
                        .put((byte) 0x81)
                        .put((byte) 0xFF)
                        .putLong(1_100_000L)
                        .putInt(0);
                try {
                    out.write(header.array());
                    out.write(start);
                    out.flush();
                } catch (IOException closedWhileSending) {
                    // refused before the first 64 kB were written
                }
                try {
                    while (in.read() >= 0) {
                        // the close frame, if any, then the end of the connection
                    }
                } catch (IOException reset) {
                    // closed all the same
                }
                refused.incrementAndGet();
            }
        }
        return null;
    }

    /** Polling handshakes from a browser origin that is not allowed, 1 kB of peer data in it. */
    private static Void badOrigins(int port, BooleanSupplier flooding, AtomicInteger refused) throws IOException {
        String origin = "http://evil.example/" + FILLER.repeat(100);
        while (flooding.getAsBoolean()) {
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(5_000);
                raw.getOutputStream()
                        .write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                        + "\r\nOrigin: " + origin + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(responseHead(raw.getInputStream())).startsWith("HTTP/1.1 403");
                refused.incrementAndGet();
            }
        }
        return null;
    }

    /** Events for a namespace named by 10 kB of peer data, never connected: a protocol error that closes the session. */
    private static Void badNamespaces(int port, BooleanSupplier flooding, AtomicInteger refused) {
        String packet = "42/" + FORGERY + FILLER.repeat(1_000) + ",[\"x\"]";
        while (flooding.getAsBoolean()) {
            try (RawWebSocket socket = open(port)) {
                socket.sendText(packet);
                socket.awaitClose(Duration.ofSeconds(5));
                refused.incrementAndGet();
            } catch (AssertionError closedFirst) {
                refused.incrementAndGet();
            }
        }
        return null;
    }

    /** An HTTP response's status line and headers. */
    private static String responseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static RawWebSocket open(int port) {
        RawWebSocket socket =
                RawWebSocket.open(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"));
        assertThat(socket.nextText(Duration.ofSeconds(3))).startsWith("0{");
        return socket;
    }

    private static String head(String log) {
        return log.length() <= 4_000
                ? log
                : log.substring(0, 4_000) + "\n[… " + (log.length() - 4_000) + " more characters]";
    }

    /** Everything the host prints, counted in full, its first 8 MB kept. */
    private static final class Output {
        private static final int KEPT = 8 << 20;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long size;

        Output(InputStream in) {
            Thread reader = new Thread(
                    () -> {
                        byte[] buffer = new byte[64 * 1024];
                        try {
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                synchronized (this) {
                                    size += n;
                                    kept.write(buffer, 0, Math.max(0, Math.min(n, KEPT - kept.size())));
                                    notifyAll();
                                }
                            }
                        } catch (IOException ended) {
                            // the host is gone
                        }
                    },
                    "host-output");
            reader.setDaemon(true);
            reader.start();
        }

        synchronized long size() {
            return size;
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized int awaitPort() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(kept.toString(StandardCharsets.UTF_8));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                wait(100);
            }
            throw new AssertionError("the host did not start listening:\n" + text());
        }
    }
}
