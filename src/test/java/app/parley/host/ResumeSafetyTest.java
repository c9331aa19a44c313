package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A resume ({@code auth.resume}) is a claim: it puts a socket back only where {@code join-room}
 * would let it go and its own user was, and costs what joining costs (docs/PROTOCOL.md §5).
 */
class ResumeSafetyTest {
    private static final String[] TRANSPORTS = {"websocket"};
    private static final String KEY = "resume-safety-key-of-ann-0123456789";

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

    private void start(HostConfig.ChatRate rate) {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(rate));
        port = host.start();
    }

    private RawClient client(Map<String, Object> auth) throws Exception {
        RawClient client = new RawClient(URI.create("http://127.0.0.1:" + port), TRANSPORTS, Map.of(), auth, null);
        clients.add(client);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    private static Map<String, Object> resume(Map<String, Object> seqs) {
        return Map.of("resume", Map.of("at", 0, "seqs", seqs));
    }

    /** Everything {@code client} receives of {@code event}, from now on. */
    private static BlockingQueue<Object[]> record(RawClient client, String event) {
        BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        client.socket().on(event, seen::add);
        return seen;
    }

    /** Sends a marker to everyone and waits until {@code listener} has it: anything sent before it arrived first. */
    private static List<Object[]> untilMarker(
            RawClient sender, BlockingQueue<Object[]> received, RawClient listener, String marker) throws Exception {
        sender.request(ChatEvents.SEND_MESSAGE, marker, "");
        return before(received, listener, marker);
    }

    /** What {@code listener} received before {@code marker}, once it has the marker. */
    private static List<Object[]> before(BlockingQueue<Object[]> received, RawClient listener, String marker)
            throws Exception {
        List<Object[]> before = new ArrayList<>();
        while (true) {
            Object[] next = received.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("the marker reaches " + listener.socket().id()).isNotNull();
            if (marker.equals(next[0])) {
                return before;
            }
            before.add(next);
        }
    }

    @Test
    void aResumeNamingAnotherSocketsIdRoomHearsNothingOfItsDirectMessagesOrTyping() throws Exception {
        start(HostConfig.ChatRate.DEFAULT);
        RawClient bob = client(null);
        String bobId = bob.awaitId();
        // Every spelling of bob's id, as the probe sent it and with the case changed.
        RawClient eve = client(resume(
                Map.of("#" + bobId, 1e15, "#" + bobId.toUpperCase(Locale.ROOT), 0, "@s:" + bobId + " s:" + bobId, 0)));
        RawClient ann = client(null);
        BlockingQueue<Object[]> eveHears = record(eve, ChatEvents.RECEIVE_MESSAGE);
        BlockingQueue<Object[]> eveTyping = record(eve, ChatEvents.TYPING);
        BlockingQueue<Object[]> bobHears = record(bob, ChatEvents.RECEIVE_MESSAGE);
        // join-room refuses the same rooms: no other path leads there either.
        assertThat(eve.request(ChatEvents.JOIN_ROOM, bobId)[0].toString()).contains("reserved for direct messages");
        assertThat(eve.request(ChatEvents.JOIN_ROOM, bobId.toUpperCase(Locale.ROOT))[0].toString())
                .contains("reserved for direct messages");

        ann.socket().emit(ChatEvents.TYPING, bobId, true);
        ann.request(ChatEvents.SEND_MESSAGE, "for bob only", bobId);

        assertThat(bobHears.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS)[0]).isEqualTo("for bob only");
        assertThat(untilMarker(ann, eveHears, eve, "marker")).isEmpty();
        assertThat(eveTyping).isEmpty();
    }

    @Test
    void aResumePutsBackOnlyRoomsItsOwnUserWasIn() throws Exception {
        start(HostConfig.ChatRate.DEFAULT);
        RawClient ann = client(Map.of("user", KEY));
        ann.request(ChatEvents.JOIN_ROOM, "lobby");
        ann.close();
        clients.remove(ann);

        // Ann comes back: in the lobby again without asking. Someone else, or a tutorial client
        // without a key, naming the same room in the same way, is not.
        Map<String, Object> seqs = Map.of("#lobby", 0, "#secret-never-joined", 0);
        RawClient annAgain = client(Map.of("user", KEY, "resume", Map.of("at", 0, "seqs", seqs)));
        RawClient mallory =
                client(Map.of("user", "another-key-of-mallory-9876543210", "resume", Map.of("at", 0, "seqs", seqs)));
        RawClient tutorial = client(resume(seqs));
        RawClient speaker = client(null);
        speaker.request(ChatEvents.JOIN_ROOM, "lobby");
        BlockingQueue<Object[]> annHears = record(annAgain, ChatEvents.RECEIVE_MESSAGE);
        BlockingQueue<Object[]> malloryHears = record(mallory, ChatEvents.RECEIVE_MESSAGE);
        BlockingQueue<Object[]> tutorialHears = record(tutorial, ChatEvents.RECEIVE_MESSAGE);

        speaker.request(ChatEvents.SEND_MESSAGE, "in the lobby", "lobby");

        assertThat(texts(untilMarker(speaker, annHears, annAgain, "marker"))).containsExactly("in the lobby");
        assertThat(before(malloryHears, mallory, "marker")).isEmpty();
        assertThat(before(tutorialHears, tutorial, "marker")).isEmpty();
    }

    @Test
    void restoredMembershipsCostWhatJoiningCosts() throws Exception {
        // Each connection may take 25 events at once, a user 75 (ChatBudgets.USER_FACTOR), refilling slowly.
        start(new HostConfig.ChatRate(25, 1));
        RawClient ann = client(Map.of("user", KEY));
        List<String> rooms = new ArrayList<>();
        Map<String, Object> seqs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            rooms.add("room-" + i);
            ann.request(ChatEvents.JOIN_ROOM, "room-" + i);
            seqs.put("#room-" + i, 0);
        }
        // 20 connections of the same user each ask for all 10 rooms back: 200 memberships for free
        // before; now at most what is left of the user's budget (75 - 10, plus 3 a second of refill).
        List<BlockingQueue<Object[]>> heard = new ArrayList<>();
        List<RawClient> copies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawClient copy = client(Map.of("user", KEY, "resume", Map.of("at", 0, "seqs", seqs)));
            copies.add(copy);
            heard.add(record(copy, ChatEvents.RECEIVE_MESSAGE));
        }
        RawClient speaker = client(null);
        for (String room : rooms) {
            speaker.request(ChatEvents.JOIN_ROOM, room);
        }
        for (String room : rooms) {
            speaker.request(ChatEvents.SEND_MESSAGE, "to " + room, room);
        }
        speaker.request(ChatEvents.SEND_MESSAGE, "marker", "");
        int memberships = 0;
        for (int i = 0; i < copies.size(); i++) {
            memberships += before(heard.get(i), copies.get(i), "marker").size();
        }
        assertThat(memberships)
                .as("room messages delivered to the 20 copies")
                .isGreaterThan(0)
                .isLessThanOrEqualTo(100);
    }

    private static List<Object> texts(List<Object[]> messages) {
        return messages.stream().map(args -> args[0]).toList();
    }

    @SuppressWarnings("unused")
    private static JSONObject meta(Object[] args) {
        return (JSONObject) args[1];
    }
}
