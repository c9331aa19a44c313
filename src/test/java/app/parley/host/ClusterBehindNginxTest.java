package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import app.parley.store.PostgresTarget;
import app.parley.testing.ExactlyOnce;
import app.parley.testing.HostProcess;
import app.parley.testing.NginxServer;
import app.parley.testing.PostgresServer;
import app.parley.testing.RedisServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled, in a cluster (docs/DEPLOY.md): two Parley hosts in processes of
 * their own, sharing a real PostgreSQL and a real Redis, behind a real nginx configured by the
 * shipped {@code docs/deploy/nginx.conf}. Ann (WebSocket) and Cat (polling, then WebSocket) come
 * through nginx, which sends them both to one host; Bob (long-polling) is on the other. While all
 * three send to a room and to each other, Redis is restarted, the host Ann and Cat are on is
 * SIGKILLed (they come back through nginx to the other and resume there), and PostgreSQL is
 * restarted (a send refused meanwhile is sent again with its client id, as Retry does). At the end
 * every send is acked, and everyone has every message meant for them exactly once, in each
 * sender's order.
 *
 * <p>The pauses come from a seed, printed in every failure; {@code -Dparley.faultSeed=<seed>}
 * replays them.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterBehindNginxTest {
    private static final String ROOM = "ops";
    private static final ExactlyOnce LEDGER = new ExactlyOnce(ROOM, 30, 8);

    @TempDir
    Path dir;

    private final long seed = Long.getLong("parley.faultSeed", System.nanoTime());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private record Chatter(
            String name,
            ClientConnection connection,
            ConcurrentLinkedQueue<ChatMessage> received,
            ConcurrentLinkedQueue<String> log,
            Set<String> idsWithUsers) {}

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    @Test
    void everyMessageArrivesOnceInOrderThroughARedisRestartAHostKillAndAPostgresRestart() throws Exception {
        PostgresServer postgres = PostgresServer.start();
        toClose.add(postgres);
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        PostgresTarget store = postgres.freshDatabase();
        String storeUrl = "postgresql://127.0.0.1:" + store.port() + "/" + store.database() + "?user=" + store.user()
                + "&sslmode=disable";
        List<String> options = List.of(
                "--store",
                storeUrl,
                "--cluster",
                redis.url(),
                "--trusted-proxy",
                "127.0.0.1",
                "--chat-rate",
                "10000/10000",
                "--packet-rate",
                "100000/100000");
        int portA = freePort();
        int portB = freePort();
        HostProcess hostA = HostProcess.start(portA, dir.resolve("a"), options);
        toClose.add(hostA);
        HostProcess hostB = HostProcess.start(portB, dir.resolve("b"), options);
        toClose.add(hostB);
        NginxServer nginx = NginxServer.start(List.of(portA, portB));
        toClose.add(nginx);

        // Which host nginx sends this machine's address to: that one is killed later.
        int through = upstreamPort(nginx);
        HostProcess victim = through == portA ? hostA : hostB;
        HostProcess survivor = victim == hostA ? hostB : hostA;

        List<Chatter> chatters = List.of(
                chatter("Ann", nginx.port(), "websocket"),
                chatter("Bob", survivor.port(), "polling"),
                chatter("Cat", nginx.port(), "polling", "websocket"));
        Map<String, String> ids = new HashMap<>();
        for (Chatter chatter : chatters) {
            waitFor(
                    () -> chatter.connection().socketId() != null
                            && chatter.connection().isParleyHost(),
                    "connect");
            ids.put(chatter.name(), chatter.connection().socketId());
            chatter.connection().joinRoom(ROOM).get(10, TimeUnit.SECONDS);
        }
        for (Chatter chatter : chatters) {
            waitFor(
                    () -> chatter.idsWithUsers().containsAll(ids.values()),
                    () -> chatter.name() + " knows everyone's user across the hosts");
        }

        Random schedule = new Random(seed);
        List<CompletableFuture<Void>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = new ArrayList<>();
        for (Chatter chatter : chatters) {
            long senderSeed = schedule.nextLong();
            senders.add(new Thread(
                    () -> send(chatter, chatters, ids, new Random(senderSeed), sent), "sender-" + chatter.name()));
        }
        senders.forEach(Thread::start);
        int total = chatters.size() * LEDGER.sendsEach(chatters.size());

        waitFor(() -> sent.size() > total / 4, "a quarter sent");
        redis.stop();
        Thread.sleep(300);
        redis.begin();
        waitFor(() -> sent.size() > total / 2, "half sent");
        victim.kill();
        waitFor(() -> sent.size() > 3 * total / 4, "three quarters sent");
        postgres.stop();
        Thread.sleep(300);
        postgres.begin();
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(60));
        }

        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(
                    why("every send is acked; " + states(chatters) + "\nsurvivor:\n" + tail(survivor.output())
                            + "\nnginx:\n" + nginx.log()),
                    e);
        }
        assertThat(sent).hasSize(total);
        for (Chatter chatter : chatters) {
            waitFor(() -> chatter.connection().pending().isEmpty(), chatter.name() + "'s outbox empties");
        }
        int expected = LEDGER.receivedEach(chatters.size());
        for (Chatter chatter : chatters) {
            waitFor(
                    () -> chatter.received().size() >= expected,
                    () -> chatter.name() + " receives " + expected + "; missing "
                            + LEDGER.missing(chatter.name(), chatter.received(), names(chatters)) + "; "
                            + states(chatters) + "\nsurvivor:\n" + tail(survivor.output()));
        }
        Thread.sleep(1_000); // anything doubled would arrive now
        for (Chatter chatter : chatters) {
            LEDGER.assertReceived(chatter.name(), chatter.received(), names(chatters), this::why);
        }
        assertThat(victim.isAlive()).isFalse();
        for (Chatter moved : List.of(chatters.get(0), chatters.get(2))) {
            assertThat(moved.log())
                    .as(why(moved.name() + " lost its host and came back through nginx"))
                    .anyMatch(line -> line.contains(ConnectionState.RECONNECTING.name()));
        }
    }

    private Chatter chatter(String name, int port, String... transports) {
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .transports(transports)
                        .reconnectDelay(Duration.ofMillis(200))
                        .identity(new Identity(name, UUID.randomUUID().toString()))
                        .build());
        toClose.add(connection);
        Chatter chatter = new Chatter(
                name,
                connection,
                new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(),
                ConcurrentHashMap.newKeySet());
        connection.addListener(event -> {
            if (event instanceof SessionEvent.MessageReceived received
                    && !received.message().mine()) {
                chatter.received().add(received.message());
            } else if (event instanceof SessionEvent.PeersChanged peers) {
                chatter.idsWithUsers().addAll(peers.users().keySet());
            } else if (event instanceof SessionEvent.StateChanged changed) {
                chatter.log()
                        .add(System.currentTimeMillis() % 100_000 + " " + changed.state() + " " + changed.detail());
            }
        });
        connection.open();
        return chatter;
    }

    private void send(
            Chatter chatter,
            List<Chatter> chatters,
            Map<String, String> ids,
            Random random,
            List<CompletableFuture<Void>> sent) {
        for (ExactlyOnce.Send send : LEDGER.plan(chatter.name(), names(chatters), random)) {
            Target target = send.toRoom() ? new Target.Room(ROOM) : new Target.Direct(ids.get(send.to()));
            sent.add(sendRetrying(chatter.connection(), target, send.text()));
            try {
                Thread.sleep(20 + random.nextInt(60));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> names(List<Chatter> chatters) {
        return chatters.stream().map(Chatter::name).toList();
    }

    /**
     * A send as a person makes it: refused while PostgreSQL restarts ("try again in a moment"),
     * it is sent again with the same client id, as the window's Retry does, until it is stored.
     */
    private static CompletableFuture<Void> sendRetrying(ClientConnection connection, Target target, String text) {
        String clientId = UUID.randomUUID().toString();
        return attempt(connection, target, text, clientId, 50);
    }

    private static CompletableFuture<Void> attempt(
            ClientConnection connection, Target target, String text, String clientId, int triesLeft) {
        return connection
                .send(target, text, clientId)
                .exceptionallyCompose(failure -> triesLeft <= 1
                        ? CompletableFuture.failedFuture(failure)
                        : CompletableFuture.supplyAsync(
                                        () -> null, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> attempt(connection, target, text, clientId, triesLeft - 1)));
    }

    private static String states(List<Chatter> chatters) {
        StringBuilder out = new StringBuilder();
        for (Chatter chatter : chatters) {
            out.append("; ")
                    .append(chatter.name())
                    .append(" pending ")
                    .append(chatter.connection().pending().size())
                    .append(", states ")
                    .append(chatter.log().stream()
                            .skip(Math.max(0, chatter.log().size() - 6))
                            .toList());
        }
        return out.toString();
    }

    private static String tail(String output) {
        return output.length() <= 6_000 ? output : output.substring(output.length() - 6_000);
    }

    /** The upstream nginx picks for this machine, from the X-Parley-Upstream header the test switched on. */
    private static int upstreamPort(NginxServer nginx) throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        String upstream = response.headers()
                .firstValue("X-Parley-Upstream")
                .orElseThrow(() -> new AssertionError(
                        "no X-Parley-Upstream header: " + response.headers().map() + "\n" + nginx.log()));
        return Integer.parseInt(upstream.substring(upstream.lastIndexOf(':') + 1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String why(String what) {
        return what + " (seed " + seed + "; rerun with -Dparley.faultSeed=" + seed + ")";
    }

    private void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, () -> what);
    }

    private void waitFor(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why("timed out waiting: " + what.get()));
            }
            Thread.sleep(20);
        }
    }
}
