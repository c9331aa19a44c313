package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import app.parley.testing.CuttingProxy;
import app.parley.testing.ExactlyOnce;
import java.net.URI;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled (#6): three clients on three transports chat through a proxy
 * that cuts every connection at random moments, and the host is restarted on the same history
 * file in the middle. At the end every client has every message meant for it exactly once, in
 * each sender's order, and every outbox is empty.
 *
 * <p>The cut schedule comes from a seed, printed in every failure; run again with
 * {@code -Dparley.faultSeed=<seed>} to replay the same schedule.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FaultInjectionTest {
    private static final int MIN_CUTS = 20;
    private static final int MIN_RECONNECTING = 5;
    private static final String ROOM = "ops";
    private static final ExactlyOnce LEDGER = new ExactlyOnce(ROOM, 50, 15);

    @TempDir
    Path dir;

    private final long seed = Long.getLong("parley.faultSeed", System.nanoTime());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private volatile HostServer host;
    /** What each send was, for the failure message. */
    private final Map<CompletableFuture<Void>, String> sentTexts = new java.util.concurrent.ConcurrentHashMap<>();

    /** One chatter: its connection and every message it received, in arrival order. */
    private record Chatter(
            String name,
            ClientConnection connection,
            ConcurrentLinkedQueue<ChatMessage> received,
            ConcurrentLinkedQueue<ConnectionState> states,
            ConcurrentLinkedQueue<String> log,
            Set<String> idsWithUsers) {}

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private HostServer startHost() {
        HostServer server = new HostServer(HostConfig.loopback(Set.of())
                .withChatRate(new HostConfig.ChatRate(10_000, 10_000))
                .withHistory(dir.resolve("history.db")));
        server.start();
        return server;
    }

    private Chatter chatter(String name, int proxyPort, String... transports) {
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + proxyPort),
                ClientConnection.Options.builder()
                        .transports(transports)
                        .reconnectDelay(Duration.ofMillis(100))
                        .identity(new Identity(name, UUID.randomUUID().toString()))
                        .build());
        toClose.add(connection);
        Chatter chatter = new Chatter(
                name,
                connection,
                new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(),
                java.util.concurrent.ConcurrentHashMap.newKeySet());
        connection.addListener(event -> {
            if (event instanceof SessionEvent.MessageReceived received
                    && !received.message().mine()) {
                chatter.received().add(received.message());
            } else if (event instanceof SessionEvent.PeersChanged peers) {
                chatter.idsWithUsers().addAll(peers.users().keySet());
            } else if (event instanceof SessionEvent.StateChanged changed) {
                chatter.states().add(changed.state());
                chatter.log()
                        .add(System.currentTimeMillis() % 100_000 + " " + changed.state() + " " + changed.detail());
            }
        });
        connection.open();
        return chatter;
    }

    @Test
    void everyMessageArrivesExactlyOnceInOrderThroughCutsAndARestart() throws Exception {
        host = startHost();
        CuttingProxy proxy = new CuttingProxy(host.port());
        toClose.add(proxy);
        List<Chatter> chatters = List.of(
                chatter("Ann", proxy.port(), "websocket"),
                chatter("Bob", proxy.port(), "polling"),
                chatter("Cat", proxy.port(), "polling", "websocket"));
        Map<String, String> ids = new HashMap<>();
        for (Chatter chatter : chatters) {
            waitFor(
                    () -> chatter.connection().socketId() != null
                            && chatter.connection().isParleyHost(),
                    "connect");
            ids.put(chatter.name(), chatter.connection().socketId());
            chatter.connection().joinRoom(ROOM).get(10, TimeUnit.SECONDS);
        }
        waitFor(() -> host.connectedIds().containsAll(ids.values()), "everyone present");
        // Everyone knows everyone's user before the first cut (direct messages are addressed by it).
        for (Chatter chatter : chatters) {
            waitFor(() -> chatter.idsWithUsers().containsAll(ids.values()), chatter.name() + " knows everyone's user");
        }

        Random schedule = new Random(seed);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (Chatter chatter : chatters) {
            long senderSeed = schedule.nextLong();
            Thread sender = new Thread(
                    () -> send(chatter, chatters, ids, new Random(senderSeed), sent), "sender-" + chatter.name());
            senders.add(sender);
        }
        senders.forEach(Thread::start);

        // Chaos: cut everything every 150-450 ms; restart the host once, a third of the way in.
        int total = chatters.size() * LEDGER.sendsEach(chatters.size());
        boolean restarted = false;
        long chaosEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Not every cut drops every client (one waiting to reconnect has nothing to cut): cut on
        // until each has lost its connection and come back often enough.
        while ((proxy.cuts() < MIN_CUTS
                        || senders.stream().anyMatch(Thread::isAlive)
                        || chatters.stream().anyMatch(c -> reconnections(c) < MIN_RECONNECTING))
                && System.nanoTime() < chaosEnds) {
            Thread.sleep(150 + schedule.nextInt(300));
            proxy.cutAll();
            if (!restarted && sentCount(sent) > total / 3) {
                restarted = true;
                host.close();
                host = startHost();
                proxy.target(host.port());
            }
        }
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(restarted).as(why("the host was restarted")).isTrue();
        assertThat(proxy.cuts()).as(why("cuts")).isGreaterThanOrEqualTo(MIN_CUTS);
        for (Chatter chatter : chatters) {
            assertThat(chatter.states())
                    .as(why(chatter.name() + " lost its connection and came back"))
                    .filteredOn(ConnectionState.RECONNECTING::equals)
                    .hasSizeGreaterThanOrEqualTo(MIN_RECONNECTING);
        }

        // Every send completes: acked by the host, no failure.
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            StringBuilder states = new StringBuilder();
            for (Chatter chatter : chatters) {
                states.append("; ")
                        .append(chatter.name())
                        .append(" pending ")
                        .append(chatter.connection().pending().size())
                        .append(", last states ")
                        .append(chatter.log().stream()
                                .skip(Math.max(0, chatter.log().size() - 6))
                                .toList());
            }
            List<String> failed = new ArrayList<>();
            sentTexts.forEach((future, text) -> {
                if (future.isCompletedExceptionally()) {
                    failed.add(text);
                }
            });
            throw new AssertionError(
                    why("every send is acked; failed " + failed + "; now " + System.currentTimeMillis() % 100_000
                            + states),
                    e.getCause());
        }
        assertThat(sent).as(why("sends")).hasSize(total);
        for (Chatter chatter : chatters) {
            waitFor(() -> chatter.connection().pending().isEmpty(), chatter.name() + "'s outbox empties");
        }
        // Every chatter gets what was meant for it: the others' room messages and direct messages to it.
        int expected = LEDGER.receivedEach(chatters.size());
        for (Chatter chatter : chatters) {
            waitFor(
                    () -> chatter.received().size() >= expected,
                    () -> chatter.name() + " receives " + expected
                            + "; missing: " + LEDGER.missing(chatter.name(), chatter.received(), names(chatters))
                            + "; now " + System.currentTimeMillis() % 100_000 + ", last states: "
                            + chatter.log().stream()
                                    .skip(Math.max(0, chatter.log().size() - 6))
                                    .toList());
        }
        Thread.sleep(500); // anything doubled would arrive now
        for (Chatter chatter : chatters) {
            LEDGER.assertReceived(chatter.name(), chatter.received(), names(chatters), this::why);
        }
    }

    /** Sends this chatter's share, interleaving the room and the two others, with small random pauses. */
    private void send(
            Chatter chatter,
            List<Chatter> chatters,
            Map<String, String> ids,
            Random random,
            List<CompletableFuture<Void>> sent) {
        for (ExactlyOnce.Send send : LEDGER.plan(chatter.name(), names(chatters), random)) {
            Target target = send.toRoom() ? new Target.Room(ROOM) : new Target.Direct(ids.get(send.to()));
            CompletableFuture<Void> future = chatter.connection().send(target, send.text());
            sentTexts.put(future, send.text() + " (sent at " + System.currentTimeMillis() % 100_000 + ")");
            synchronized (sent) {
                sent.add(future);
            }
            try {
                Thread.sleep(random.nextInt(40));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> names(List<Chatter> chatters) {
        return chatters.stream().map(Chatter::name).toList();
    }

    private static long reconnections(Chatter chatter) {
        return chatter.states().stream()
                .filter(ConnectionState.RECONNECTING::equals)
                .count();
    }

    private static int sentCount(List<CompletableFuture<Void>> sent) {
        synchronized (sent) {
            return sent.size();
        }
    }

    private String why(String what) {
        return what + " (fault schedule seed " + seed + "; rerun with -Dparley.faultSeed=" + seed + ")";
    }

    private void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, () -> what);
    }

    private void waitFor(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + why(what.get()));
            }
            Thread.sleep(50);
        }
    }
}
