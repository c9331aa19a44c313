package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import app.parley.testing.StalledWebSocket;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of sockets that resume and never read cost the host a bounded amount of memory, do
 * not slow anyone else's acks, and are disconnected once they have stalled (Replay).
 */
class ReplayBackPressureTest {
    private static final int STORED = Resume.MAX_REPLAY;
    private static final int STALLED = 200;
    /** The longest message there is, 16 kB in UTF-8: 8 MB a replay, more than a kernel buffers for one socket. */
    private static final String TEXT = "\uD83D\uDE00".repeat(4_000);

    private HostServer host;
    private final List<RawClient> clients = new ArrayList<>();
    private final List<StalledWebSocket> stalled = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (StalledWebSocket socket : stalled) {
            socket.close();
        }
        clients.forEach(RawClient::close);
        host.close();
    }

    private RawClient client(int port) throws Exception {
        RawClient client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), null, null);
        clients.add(client);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    @Test
    void stalledResumersCostBoundedMemoryAndNobodyWaits() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(100_000, 100_000)));
        int port = host.start();
        RawClient writer = client(port);
        List<CompletableFuture<Object[]>> acks = new ArrayList<>();
        for (int i = 0; i < STORED; i++) {
            CompletableFuture<Object[]> ack = new CompletableFuture<>();
            writer.socket().emit(ChatEvents.SEND_MESSAGE, new Object[] {TEXT, ""}, ack::complete);
            acks.add(ack);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        RawClient bystander = client(port);
        long before = retainedMemory();

        // Each asks for all 8 MB of Everyone again (1.6 GB in all), then reads nothing.
        String resume = "40{\"resume\":{\"at\":0,\"seqs\":{\"*\":0}}}";
        for (int i = 0; i < STALLED; i++) {
            stalled.add(StalledWebSocket.open("127.0.0." + (2 + i / 100), port, resume));
        }
        long slowest = 0;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            bystander.request(ChatEvents.SEND_MESSAGE, "still here " + i, "");
            slowest = Math.max(slowest, System.nanoTime() - start);
            Thread.sleep(100);
        }
        long peak = retainedMemory();

        assertThat(TimeUnit.NANOSECONDS.toMillis(slowest))
                .as("the bystander's slowest ack, ms")
                .isLessThan(1_000);
        // Stalled for Replay.STALL_MILLIS, they are let go. They answer pings blindly, so nothing
        // else would end them. Memory is watched all along: the kernel takes the first few MB of
        // each replay, so unpaced ones pile up in the host only once its send buffers are full,
        // many seconds in.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Replay.STALL_MILLIS + 25_000);
        while (host.engineSessions() > 2 && System.nanoTime() < deadline) {
            for (StalledWebSocket socket : stalled) {
                try {
                    socket.pong();
                } catch (java.io.IOException closed) {
                    // the host let it go
                }
            }
            peak = Math.max(peak, retainedMemory());
            Thread.sleep(2_000);
        }
        // Each may hold 64 kB waiting and a page of about as much; unpaced, they held 8 MB each.
        assertThat((peak - before) / (1024 * 1024))
                .as("most memory the stalled replays held, MB")
                .isLessThan(128);
        assertThat(host.engineSessions())
                .as("sessions left: the writer and the bystander")
                .isEqualTo(2);
        assertThat(bystander.request(ChatEvents.SEND_MESSAGE, "and still here", "")[0].toString())
                .contains("\"ok\":true");
    }

    /**
     * The heap left after a full collection, read the moment {@code System.gc()} returns, plus the
     * direct buffers, where Netty keeps what waits for a socket. The replays make garbage fast
     * while the kernel takes what they send: read 100 ms after the collection, the heap counted as
     * much of it as the young generation had room for, 150 to 245 MB over a retained heap that had
     * grown by 2 MB. One collection a reading: more would slow the replays this test waits for.
     */
    private static long retainedMemory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        return heap + direct;
    }
}
