package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.NewMessage;
import app.parley.store.PostgresMessageStore;
import app.parley.store.PostgresTarget;
import app.parley.testing.PostgresServer;
import app.parley.testing.RawClient;
import app.parley.testing.RedisServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two hosts on one PostgreSQL store and one Redis (docs/PROTOCOL.md §19.2): a conversation's
 * messages reach each socket in seq order, whichever host stored them, and one that a host stored
 * but never told the others of (it crashed in between) is read from the store by the others.
 */
class ClusterOrderTest {
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void aMessageStoredButNeverToldReachesEveryHostInOrderFromTheStore() throws Exception {
        PostgresTarget store = postgres.freshDatabase();
        try (RedisServer redis = RedisServer.start()) {
            HostConfig config = HostConfig.loopback(Set.of()).withStore(store).withCluster(redis.target());
            HostServer hostA = new HostServer(config);
            HostServer hostB = new HostServer(config);
            hostA.start();
            hostB.start();
            try (RawClient alice = RawClient.connect(hostA.port());
                    RawClient bob = RawClient.connect(hostB.port());
                    RawClient dave = RawClient.connect(hostA.port());
                    PostgresMessageStore direct = PostgresMessageStore.open(store)) {
                alice.awaitId();
                bob.awaitId();
                dave.awaitId();
                bob.request("list-peers");
                dave.request("list-peers");
                alice.request("send-message", "one", "");
                assertThat(text(bob.nextMessage())).isEqualTo("one");
                assertThat(text(dave.nextMessage())).isEqualTo("one");

                // A host stored "two" and died before telling anyone: it is in the store, nowhere else.
                direct.append(List.of(ghost("two")));
                alice.request("send-message", "three", "");
                alice.request("send-message", "four", "");

                // On the host that stored "three", its append told it of "two": both go at once,
                // long before the wait for the gap would end.
                List<String> sameHost = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sameHost.add(text(dave.nextMessage(LiveOrder.WAIT_MILLIS / 2)));
                }
                assertThat(sameHost).containsExactly("two", "three", "four");

                List<String> got = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Object[] message = bob.nextMessage(LiveOrder.WAIT_MILLIS + 8_000);
                    assertThat(message)
                            .as("message %d after one; so far %s", i + 2, got)
                            .isNotNull();
                    got.add(text(message));
                    seqs.add(new JSONObject(message[1].toString()).getLong("seq"));
                }
                assertThat(got).containsExactly("two", "three", "four");
                assertThat(seqs).containsExactly(2L, 3L, 4L);
                assertThat(bob.nextMessage(500)).as("nothing twice").isNull();

                // The last message a dead host stored leaves no gap behind it: the hosts' look at the store finds it.
                direct.append(List.of(ghost("five")));
                Object[] last = bob.nextMessage(3 * LiveOrder.SWEEP_MILLIS + 8_000);
                assertThat(text(last)).isEqualTo("five");
                assertThat(new JSONObject(last[1].toString()).getLong("seq")).isEqualTo(5L);
                assertThat(bob.nextMessage(500)).as("nothing twice").isNull();
            } finally {
                hostA.close();
                hostB.close();
            }
        }
    }

    @Test
    void messagesFromBothHostsReachEverySocketInSeqOrder() throws Exception {
        PostgresTarget store = postgres.freshDatabase();
        try (RedisServer redis = RedisServer.start()) {
            HostConfig config = HostConfig.loopback(Set.of())
                    .withStore(store)
                    .withCluster(redis.target())
                    .withChatRate(new HostConfig.ChatRate(10_000, 10_000));
            HostServer hostA = new HostServer(config);
            HostServer hostB = new HostServer(config);
            hostA.start();
            hostB.start();
            try (RawClient alice = RawClient.connect(hostA.port());
                    RawClient bob = RawClient.connect(hostB.port());
                    RawClient carol = RawClient.connect(hostB.port())) {
                alice.awaitId();
                bob.awaitId();
                carol.awaitId();
                carol.request("list-peers");
                // Both write into the everyone conversation at once, from the two hosts.
                Thread a = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        alice.socket().emit("send-message", "a" + i, "");
                    }
                });
                Thread b = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        bob.socket().emit("send-message", "b" + i, "");
                    }
                });
                a.start();
                b.start();
                a.join();
                b.join();
                List<Long> seqs = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    Object[] message = carol.nextMessage(LiveOrder.WAIT_MILLIS + 8_000);
                    assertThat(message).as("message %d; so far %s", i, texts).isNotNull();
                    texts.add(text(message));
                    seqs.add(new JSONObject(message[1].toString()).getLong("seq"));
                }
                assertThat(seqs).as("in seq order, each once").isSorted().doesNotHaveDuplicates();
                assertThat(texts.stream().filter(t -> t.startsWith("a")))
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                                .mapToObj(i -> "a" + i)
                                .toList());
                assertThat(texts.stream().filter(t -> t.startsWith("b")))
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                                .mapToObj(i -> "b" + i)
                                .toList());
            } finally {
                hostA.close();
                hostB.close();
            }
        }
    }

    /** A message as a host stores it, from someone on a host that died before routing it. */
    private static NewMessage ghost(String text) {
        return new NewMessage(
                Conversations.EVERYONE,
                UUID.randomUUID().toString(),
                "u:ghost",
                "c-" + text,
                UUID.randomUUID().toString(),
                "Ghost",
                "everyone",
                null,
                text,
                Instant.now(),
                null);
    }

    private static String text(Object[] message) {
        return message == null ? null : String.valueOf(message[0]);
    }
}
