package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reconnecting client rejoins its rooms the moment it is connected, while the host may still be
 * planning its replay behind other clients' replays. The rejoin waits for the replay: applied
 * first, it would let live messages overtake what was missed, and the client would drop the late
 * ones as copies. A direct conversation that begins while the replay runs, which the socket does
 * not hear live until it ends, is replayed in its last step; and one the resume did not name is
 * named to the client (caught-up) before any of it is replayed.
 */
class ResumeOrderTest {
    private static final String ANN = "resume-order-key-of-ann-0123456789";
    private static final int MISSED = 30;
    private static final int LIVE = 30;
    private static final int OTHERS = 6;
    private static final int BACKLOG = 300;
    private static final String BOB = "resume-order-key-of-bob-0123456789";
    /** The longest message there is, 16 kB in UTF-8: a replay of these takes a while to read. */
    private static final String LONG_TEXT = "\uD83D\uDE00".repeat(4_000);

    private static final int LONG_BACKLOG = 100;

    private HostServer host;
    private int port;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (host != null) {
            host.close();
        }
    }

    private RawClient client(Map<String, Object> auth) {
        RawClient client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), auth, null);
        clients.add(client);
        return client;
    }

    private RawClient connected(Map<String, Object> auth) throws Exception {
        RawClient client = client(auth);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    private static Map<String, Object> resuming(String key, String room) {
        return Map.of("user", key, "resume", Map.of("at", 0, "seqs", Map.of("#" + room, 0)));
    }

    @Test
    void aDirectMessageBegunDuringTheReplayIsReplayedBeforeGoingLive() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        port = host.start();
        RawClient ann = connected(Map.of("user", ANN));
        ann.request(ChatEvents.JOIN_ROOM, "big");
        ann.close();
        RawClient bob = connected(Map.of("user", BOB));
        for (int i = 1; i < LONG_BACKLOG; i++) {
            bob.socket().emit(ChatEvents.SEND_MESSAGE, LONG_TEXT, "big");
        }
        bob.request(ChatEvents.SEND_MESSAGE, LONG_TEXT, "big");

        // Ann comes back having seen nothing of #big, so her replay is long. Once it is under way
        // (planned), Bob writes to her for the first time: a direct conversation that did not
        // exist when her replay was planned, and that she does not hear live until it ends.
        RawClient annAgain = client(resuming(ANN, "big"));
        BlockingQueue<Object[]> heard = new LinkedBlockingQueue<>();
        annAgain.socket().on(ChatEvents.RECEIVE_MESSAGE, heard::add);
        annAgain.socket().connect();
        String annId = annAgain.awaitId();
        assertThat(heard.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the replay begins")
                .isNotNull();
        JSONObject toAnn = new JSONObject(Map.of("cid", "psst-1", "to", Users.of(Map.of("user", ANN), null)));
        assertThat(bob.request(ChatEvents.SEND_MESSAGE, "psst", annId, toAnn)[0].toString())
                .contains("\"ok\":true");

        List<String> texts = new ArrayList<>();
        while (!texts.contains("psst")) {
            Object[] next = heard.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next)
                    .as("Ann gets Bob's direct message; so far " + texts.size() + " messages")
                    .isNotNull();
            texts.add(next[0].toString());
        }
    }

    @Test
    void theReplayNamesADirectConversationTheResumeDidNotBeforeSendingAnyOfIt() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        port = host.start();
        RawClient ann = connected(Map.of("user", ANN));
        ann.close();
        RawClient bob = connected(Map.of("user", BOB));
        String annUser = Users.of(Map.of("user", ANN), null);
        for (int i = 1; i <= 3; i++) {
            JSONObject toAnn = new JSONObject(Map.of("cid", "psst-" + i, "to", annUser));
            bob.request(ChatEvents.SEND_MESSAGE, "psst " + i, ann.awaitId(), toAnn);
        }

        // Ann had seen nothing of it: her resume names only Everyone. Were her connection to drop
        // during the replay, after a message of Everyone and before these, her next resume's `at`
        // would be past them; told where the replay starts there, she names the conversation.
        RawClient annAgain = client(Map.of(
                "user", ANN, "caughtUp", true, "resume", Map.of("at", 0, "seqs", Map.of(Conversations.EVERYONE, 0))));
        BlockingQueue<Object[]> heard = new LinkedBlockingQueue<>();
        annAgain.socket().on(ChatEvents.CAUGHT_UP, args -> heard.add(new Object[] {ChatEvents.CAUGHT_UP, args[0]}));
        annAgain.socket().on(ChatEvents.RECEIVE_MESSAGE, args -> heard.add(new Object[] {args[0], args[1]}));
        annAgain.socket().connect();
        String direct = Conversations.direct(annUser, Users.of(Map.of("user", BOB), null));
        while (true) {
            Object[] next = heard.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("Ann hears of Bob's direct messages").isNotNull();
            if (next[0].equals(ChatEvents.CAUGHT_UP)) {
                JSONObject seqs = ((JSONObject) next[1]).getJSONObject("seqs");
                if (seqs.has(direct)) {
                    assertThat(seqs.getLong(direct)).as("from before the first").isZero();
                    break;
                }
            } else {
                assertThat(next[0].toString())
                        .as("nothing of the conversation before it is named")
                        .doesNotStartWith("psst");
            }
        }
        assertThat(heard.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS)[0]).isEqualTo("psst 1");
    }

    @Test
    void aRejoinSentWithTheResumeWaitsForTheReplay() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(10_000, 10_000)));
        port = host.start();
        // Ann was in #ops; others were in #big, where much was said: their replays will be long.
        RawClient ann = connected(Map.of("user", ANN));
        ann.request(ChatEvents.JOIN_ROOM, "ops");
        ann.close();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < OTHERS; i++) {
            String key = "resume-order-key-of-other-" + i + "-0123456789";
            others.add(key);
            RawClient other = connected(Map.of("user", key));
            other.request(ChatEvents.JOIN_ROOM, "big");
            other.close();
        }
        RawClient bob = connected(null);
        for (int i = 1; i <= BACKLOG; i++) {
            bob.socket().emit(ChatEvents.SEND_MESSAGE, "backlog " + i, "big");
        }
        for (int i = 1; i <= MISSED; i++) {
            bob.request(ChatEvents.SEND_MESSAGE, "missed " + i, "ops");
        }

        // Everyone comes back at once; Ann, having seen nothing of #ops, rejoins it the moment
        // she is connected, and Bob goes on talking there.
        for (String key : others) {
            client(resuming(key, "big")).socket().connect();
        }
        RawClient annAgain = client(resuming(ANN, "ops"));
        BlockingQueue<Object[]> heard = new LinkedBlockingQueue<>();
        annAgain.socket().on(ChatEvents.RECEIVE_MESSAGE, heard::add);
        annAgain.socket().on("connect", args -> annAgain.socket().emit(ChatEvents.JOIN_ROOM, "ops"));
        annAgain.socket().connect();
        for (int i = 1; i <= LIVE; i++) {
            bob.request(ChatEvents.SEND_MESSAGE, "live " + i, "ops");
        }

        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < MISSED + LIVE) {
            Object[] next = heard.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("Ann hears all of #ops; so far seqs " + seqs).isNotNull();
            seqs.add(((JSONObject) next[1]).getLong("seq"));
        }
        assertThat(seqs)
                .as("every message of #ops once, in order")
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, MISSED + LIVE).boxed().toList());
    }
}
