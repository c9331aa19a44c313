package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.cluster.RedisStreamsBus;
import app.parley.testing.RawClient;
import app.parley.testing.RedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parley hosts as servers of one cluster on a real {@code redis-server} (docs/PROTOCOL.md §19):
 * what a host writes into the stream, what it does with entries it cannot read (skips them and
 * keeps going), and a Redis restart in the middle (nothing sent meanwhile is lost).
 */
class ClusterHostTest {
    private RedisServer redis;
    private HostServer hostA;
    private HostServer hostB;
    private RedisClient lettuce;
    private StatefulRedisConnection<String, String> redisCli;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        HostConfig config = HostConfig.loopback(Set.of()).withCluster(redis.target());
        hostA = new HostServer(config);
        hostA.start();
        hostB = new HostServer(config);
        hostB.start();
        lettuce = RedisClient.create(redis.url());
        redisCli = lettuce.connect();
    }

    @AfterEach
    void stop() {
        redisCli.close();
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        hostA.close();
        hostB.close();
        redis.close();
    }

    @Test
    void aHostWritesTheStreamsAdaptersEntryForARoomMessage() throws Exception {
        try (RawClient alice = RawClient.connect(hostA.port());
                RawClient bob = RawClient.connect(hostB.port())) {
            String aliceId = alice.awaitId();
            bob.awaitId();
            bob.request("join-room", "ops");
            alice.request("send-message", "to ops", "ops");
            Object[] got = bob.nextMessage();
            assertThat(got).isNotNull();
            assertThat(got[0]).isEqualTo("to ops");

            List<StreamMessage<String, String>> entries =
                    redisCli.sync().xrange(RedisStreamsBus.STREAM, Range.create("-", "+"));
            StreamMessage<String, String> entry = entries.stream()
                    .filter(e -> e.getBody().getOrDefault("data", "").contains("to ops"))
                    .findFirst()
                    .orElseThrow();
            assertThat(entry.getBody()).containsEntry("nsp", "/").containsEntry("type", "3");
            assertThat(entry.getBody().get("uid")).matches("[0-9a-f]{16}");
            JSONObject data = new JSONObject(entry.getBody().get("data"));
            assertThat(data.getJSONObject("packet").getInt("type")).isEqualTo(2);
            assertThat(data.getJSONObject("packet").getJSONArray("data").getString(0))
                    .isEqualTo("receive-message");
            assertThat(data.getJSONObject("opts").getJSONArray("rooms").toList())
                    .containsExactly("ops");
            assertThat(data.getJSONObject("opts").getJSONArray("except").toList())
                    .containsExactly(aliceId);
        }
    }

    @Test
    void peopleNamesAndDirectMessagesSpanTheHosts() throws Exception {
        try (RawClient alice = RawClient.connect(hostA.port());
                RawClient bob = RawClient.connect(hostB.port());
                RawClient carol = RawClient.connect(hostB.port())) {
            String aliceId = alice.awaitId();
            String bobId = bob.awaitId();
            carol.awaitId();
            alice.request("set-name", "Alice");
            bob.request("set-name", "Bob");
            alice.request("join-room", "ops");

            // Bob's list names Alice, on the other host, with her room; then a direct message by her id reaches her.
            JSONObject peers = awaitPeers(bob, aliceId);
            assertThat(peers.getJSONObject("names").getString(aliceId)).isEqualTo("Alice");
            assertThat(peers.getJSONArray("peers").toList()).contains(bobId, aliceId);
            Object[] sent = bob.request("send-message", "just you", aliceId);
            assertThat(new JSONObject(sent[0].toString()).optBoolean("ok", true))
                    .as("%s", sent[0])
                    .isTrue();
            Object[] got = alice.nextMessage();
            assertThat(got).isNotNull();
            assertThat(got[0]).isEqualTo("just you");
            assertThat(new JSONObject(got[1].toString()).getString("kind")).isEqualTo("direct");
            assertThat(carol.nextMessage(300))
                    .as("a direct message reaches nobody else")
                    .isNull();

            // Names are unique across the hosts.
            Object[] taken = carol.request("set-name", "alice");
            assertThat(new JSONObject(taken[0].toString()).getString("error")).isEqualTo("\"alice\" is taken");

            // Alice leaves: Bob hears it, and her id no longer takes messages.
            alice.socket().disconnect();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean gone = false;
            while (!gone && System.nanoTime() < deadline) {
                gone = !new JSONObject(bob.request("list-peers")[0].toString())
                        .getJSONArray("peers")
                        .toList()
                        .contains(aliceId);
                Thread.sleep(50);
            }
            assertThat(gone).as("Alice gone from Bob's list").isTrue();
            Object[] refused = bob.request("send-message", "too late", aliceId);
            assertThat(new JSONObject(refused[0].toString()).getString("error")).contains("nobody with id");
            assertThat(carol.request("set-name", "Alice")[0].toString()).contains("\"ok\":true");
        }
    }

    @Test
    void aNameGrantedOnTwoHostsAtOnceStaysWithTheEarlierClaim() throws Exception {
        try (RawClient alice = RawClient.connect(hostA.port());
                RawClient carol = RawClient.connect(hostB.port())) {
            Race race = race(alice, carol, "Ann", "ann", "ann 2");
            assertThat(race.onA()).containsEntry(race.aliceId(), "Ann").containsEntry(race.carolId(), "ann 2");
            assertThat(race.onB()).containsEntry(race.aliceId(), "Ann").containsEntry(race.carolId(), "ann 2");
            assertThat(race.carolErrors()).hasSize(1);
            assertThat(new JSONObject(race.carolErrors().get(0).toString()).getString("error"))
                    .isEqualTo("\"ann\" was given to someone on another host of this session a moment before you;"
                            + " you are \"ann 2\" now");
            assertThat(race.aliceErrors())
                    .as("the earlier claim keeps its name, unannounced")
                    .isEmpty();
            assertThat(carol.request("set-name", "Ann")[0].toString())
                    .as("and keeps it")
                    .contains("is taken");
        }
    }

    @Test
    void aLookAlikeNameGrantedOnTwoHostsAtOnceGivesWayToTheEarlierClaim() throws Exception {
        String cyrillic = "b\u043eb"; // "bob" with a Cyrillic o
        try (RawClient alice = RawClient.connect(hostA.port());
                RawClient carol = RawClient.connect(hostB.port())) {
            Race race = race(alice, carol, "bob", cyrillic, cyrillic + " 2");
            assertThat(race.onA()).containsEntry(race.aliceId(), "bob").containsEntry(race.carolId(), cyrillic + " 2");
            assertThat(race.onB()).containsEntry(race.aliceId(), "bob").containsEntry(race.carolId(), cyrillic + " 2");
            assertThat(race.carolErrors()).hasSize(1);
            assertThat(new JSONObject(race.carolErrors().get(0).toString()).getString("error"))
                    .isEqualTo("\"" + cyrillic + "\" looks like \"bob\", given to someone on another host of this"
                            + " session a moment before you; you are \"" + cyrillic + " 2\" now");
        }
    }

    /** Who ended up with which name on each host, and what each was told. */
    private record Race(
            String aliceId,
            String carolId,
            Map<String, Object> onA,
            Map<String, Object> onB,
            List<Object> aliceErrors,
            List<Object> carolErrors) {}

    /**
     * Alice on host A asks for {@code first}, Carol on host B for {@code second} a moment later,
     * while Redis holds every command, so neither host hears of the other's grant in time; then
     * waits (15 s at most) until both hosts list Carol as {@code carolEnds}.
     */
    private Race race(RawClient alice, RawClient carol, String first, String second, String carolEnds)
            throws Exception {
        String aliceId = alice.awaitId();
        String carolId = carol.awaitId();
        List<Object> aliceErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Object> carolErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        alice.socket().on("parley-error", args -> aliceErrors.add(args[0]));
        carol.socket().on("parley-error", args -> carolErrors.add(args[0]));
        awaitListed(alice, carolId);
        awaitListed(carol, aliceId);
        redisCli.sync().clientPause(1_500);
        assertThat(alice.request("set-name", first)[0].toString()).contains("\"ok\":true");
        Thread.sleep(5); // a later claim, by the clock
        assertThat(carol.request("set-name", second)[0].toString()).contains("\"ok\":true");

        // Once they hear each other, the later claim (Carol's) gives way, the same on both hosts.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, Object> onA = Map.of();
        Map<String, Object> onB = Map.of();
        while (System.nanoTime() < deadline) {
            onA = new JSONObject(alice.request("list-peers")[0].toString())
                    .getJSONObject("names")
                    .toMap();
            onB = new JSONObject(carol.request("list-peers")[0].toString())
                    .getJSONObject("names")
                    .toMap();
            if (carolEnds.equals(onA.get(carolId)) && carolEnds.equals(onB.get(carolId))) {
                break;
            }
            Thread.sleep(50);
        }
        return new Race(aliceId, carolId, onA, onB, aliceErrors, carolErrors);
    }

    /** A Node server's {@code receive-message} broadcast, as its streams adapter writes it (rooms and except as JSON arrays). */
    private void nodeBroadcast(String text, String rooms, String except) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("uid", "node-server-1");
        entry.put("nsp", "/");
        entry.put("type", "3");
        entry.put(
                "data",
                "{\"packet\":{\"type\":2,\"data\":[\"receive-message\",\"" + text + "\"],\"nsp\":\"/\"},"
                        + "\"opts\":{\"rooms\":" + rooms + ",\"except\":" + except + ",\"flags\":{}}}");
        redisCli.sync().xadd(RedisStreamsBus.STREAM, entry);
    }

    /** Asks for the list until it holds {@code id}, named or not. */
    private static void awaitListed(RawClient client, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!new JSONObject(client.request("list-peers")[0].toString())
                .getJSONArray("peers")
                .toList()
                .contains(id)) {
            assertThat(System.nanoTime()).as("%s listed", id).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Asks for the list until it holds {@code id} (the other host's people come within a presence batch). */
    private static JSONObject awaitPeers(RawClient client, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JSONObject peers = null;
        while (System.nanoTime() < deadline) {
            peers = new JSONObject(client.request("list-peers")[0].toString());
            if (peers.getJSONArray("peers").toList().contains(id)
                    && peers.getJSONObject("names").has(id)) {
                return peers;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + id + " in " + peers);
    }

    @Test
    void entriesItCannotReadAreSkippedAndTheNextOneStillArrives() throws Exception {
        try (RawClient bob = RawClient.connect(hostB.port())) {
            bob.awaitId();
            bob.request("list-peers"); // admitted: in the everyone room
            List<Map<String, String>> junk = List.of(
                    Map.of("uid", "x", "nsp", "/", "type", "three"),
                    Map.of("uid", "x", "nsp", "/", "type", "3", "data", "{not json"),
                    Map.of("uid", "x", "nsp", "/", "type", "3", "data", "{\"a\":\"" + "z".repeat(2_000_000) + "\"}"),
                    Map.of(
                            "uid",
                            "x",
                            "nsp",
                            "/",
                            "type",
                            "3",
                            "data",
                            Base64.getEncoder()
                                    .encodeToString(
                                            new byte[] {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})),
                    Map.of("uid", "x", "nsp", "/", "type", "3", "data", "{\"packet\":{\"type\":5,\"data\":[\"a\"]}}"),
                    Map.of("uid", "x", "nsp", "/", "type", "42", "data", "{}"),
                    Map.of("garbage", "only"));
            for (Map<String, String> entry : junk) {
                redisCli.sync().xadd(RedisStreamsBus.STREAM, entry);
            }
            nodeBroadcast("after the junk", "[]", "[]");
            Object[] got = bob.nextMessage();
            assertThat(got).as("the valid entry after the junk").isNotNull();
            assertThat(got[0]).isEqualTo("after the junk");
            assertThat(bob.nextMessage(300)).as("nothing of the junk delivered").isNull();
            assertThat(hostB.isRunning()).isTrue();
        }
    }

    @Test
    void anotherServersBroadcastLeavesOutTheSocketsOfItsExceptRooms() throws Exception {
        try (RawClient bob = RawClient.connect(hostB.port());
                RawClient carol = RawClient.connect(hostB.port())) {
            bob.awaitId();
            String carolId = carol.awaitId();
            bob.request("join-room", "ops");
            carol.request("join-room", "ops");
            carol.request("join-room", "muted");
            // Node's socket.to("ops").except("muted") and .except(<carol's id>): carol is left out both times.
            for (String leftOut : List.of("muted", carolId)) {
                nodeBroadcast("not for " + leftOut, "[\"ops\"]", "[\"" + leftOut + "\"]");
                assertThat(bob.nextMessage()[0]).isEqualTo("not for " + leftOut);
            }
            assertThat(carol.nextMessage(500))
                    .as("carol is in an except room both times")
                    .isNull();
        }
    }

    @Test
    void hostsOnATlsRedisChatAsOnAPlainOne() throws Exception {
        try (RedisServer tls = RedisServer.startTls()) {
            HostConfig config = HostConfig.loopback(Set.of()).withCluster(tls.target());
            HostServer first = new HostServer(config);
            HostServer second = new HostServer(config);
            try {
                first.start();
                second.start();
                try (RawClient alice = RawClient.connect(first.port());
                        RawClient bob = RawClient.connect(second.port())) {
                    alice.awaitId();
                    bob.awaitId();
                    bob.request("join-room", "ops");
                    alice.request("send-message", "over TLS", "ops");
                    Object[] got = bob.nextMessage();
                    assertThat(got).as("through the TLS Redis").isNotNull();
                    assertThat(got[0]).isEqualTo("over TLS");
                }
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void whatIsSentWhileRedisRestartsArrivesOnceItIsBack() throws Exception {
        try (RawClient alice = RawClient.connect(hostA.port());
                RawClient bob = RawClient.connect(hostB.port())) {
            alice.awaitId();
            bob.awaitId();
            bob.request("join-room", "ops");
            alice.request("send-message", "before", "ops");
            assertThat(bob.nextMessage()[0]).isEqualTo("before");

            redis.stop();
            // Stored and acked by host A while Redis is away: its adapter holds the entry until Redis is back.
            alice.request("send-message", "during", "ops");
            redis.begin();
            alice.request("send-message", "after", "ops");

            Object[] first = bob.nextMessage(20_000);
            Object[] second = bob.nextMessage(20_000);
            assertThat(first).as("the message sent while Redis was down").isNotNull();
            assertThat(second).as("the message sent after Redis was back").isNotNull();
            assertThat(List.of(first[0], second[0])).containsExactly("during", "after");
            assertThat(bob.nextMessage(500)).as("nothing doubled").isNull();
        }
    }
}
