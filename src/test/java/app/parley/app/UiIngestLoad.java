package app.parley.app;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The busy host for {@link UiIngestBench}, in a JVM of its own so that the window's JVM holds only
 * what a user's app holds: a Parley host and socket.io-client-java senders that flood a room on
 * command. Its host, senders, their GC and their JIT are the far end of the connection, not part
 * of the window's process.
 *
 * <p>Talks over its standard streams. Prints {@code port N} once the host listens and
 * {@code ready} once the senders are connected. Reads commands, one a line:
 * {@code flood ROOM COUNT TAG} sends COUNT messages to ROOM at the rate given, spread over the
 * senders, and answers {@code sent COUNT JIT_MS} when the last is emitted (JIT_MS: this JVM's total
 * compilation time so far); {@code quit}, the end of its input or the end of the process that started
 * it (the window's) stops it. Everything else it would print goes to standard error.
 *
 * <pre>java -cp ... app.parley.app.UiIngestLoad perSecond senders</pre>
 */
public final class UiIngestLoad {
    private UiIngestLoad() {}

    public static void main(String[] args) throws Exception {
        int perSecond = Integer.parseInt(args[0]);
        int senderCount = Integer.parseInt(args[1]);
        // The protocol owns standard output; anything logged goes to standard error.
        PrintStream protocol =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        // Never outlives the window's process, even in the middle of a flood.
        ProcessHandle.current()
                .parent()
                .ifPresent(parent ->
                        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        HostServer host = new HostServer(HostConfig.loopback(Set.of())
                .withChatRate(new HostConfig.ChatRate(1_000_000, 1_000_000))
                .withLimits(new app.parley.engine.EngineLimits(1_000, 256, 1_000_000, 1_000_000)));
        int port = host.start();
        protocol.println("port " + port);
        // socket.io-client-java would start a thread for nearly every emit that finds its event
        // thread idle (see join.EventThreadHold): hold it for the process's life, as the app's
        // connections do, so that the far end does not spend the machine's cores starting threads.
        app.parley.join.EventThreadHolds.acquire();
        List<RawClient> senders = new ArrayList<>();
        for (int i = 0; i < senderCount; i++) {
            RawClient sender = RawClient.connect(port, new String[] {"websocket"}, java.util.Map.of());
            sender.awaitId();
            senders.add(sender);
        }
        protocol.println("ready");
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.split(" ");
                if (words[0].equals("flood") && words.length == 4) {
                    int count = flood(pacer, senders, perSecond, words[1], Integer.parseInt(words[2]), words[3]);
                    protocol.println("sent " + count + " "
                            + ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
                } else {
                    System.err.println("UiIngestLoad: unknown command: " + line);
                }
            }
        } finally {
            pacer.shutdownNow();
            senders.forEach(RawClient::close);
            host.close();
            System.exit(0);
        }
    }

    /** Emits {@code count} messages at {@code perSecond}, evenly, round-robin over the senders; returns how many. */
    private static int flood(
            ScheduledExecutorService pacer, List<RawClient> senders, int perSecond, String room, int count, String tag)
            throws InterruptedException {
        long started = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        // Every millisecond, whatever is due by now.
        ScheduledFuture<?> tick = pacer.scheduleAtFixedRate(
                () -> {
                    long due = Math.min(count, (System.nanoTime() - started) * perSecond / 1_000_000_000L);
                    for (int n = sent.get(); n < due; n = sent.incrementAndGet()) {
                        senders.get(n % senders.size())
                                .socket()
                                .emit(ChatEvents.SEND_MESSAGE, tag + n + " " + "x".repeat(40), room);
                    }
                    if (sent.get() >= count) {
                        done.countDown();
                    }
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        // Bounded: at the rate asked, with room for a stalled machine.
        done.await(count / Math.max(1, perSecond) + 60L, TimeUnit.SECONDS);
        tick.cancel(false);
        return sent.get();
    }
}
