package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tutorial contract of docs/PROTOCOL.md, checked with the real client library over loopback. */
class HostContractTest {
    /** Long enough for a message that is going to arrive to arrive; used to prove absence. */
    private static final long QUIET_MILLIS = 400;

    private HostServer host;
    private int port;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of("http://localhost:8080")));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        clients.forEach(RawClient::close);
        host.close();
    }

    private RawClient client() throws Exception {
        return client(socket -> {});
    }

    /** A connected client whose listeners {@code before} registered ahead of its CONNECT. */
    private RawClient client(java.util.function.Consumer<io.socket.client.Socket> before) throws Exception {
        RawClient client = new RawClient(
                java.net.URI.create("http://127.0.0.1:" + port),
                new String[] {"polling", "websocket"},
                java.util.Map.of());
        before.accept(client.socket());
        client.socket().connect();
        clients.add(client);
        client.awaitId();
        return client;
    }

    @Test
    void broadcastReachesEveryoneButTheSender() throws Exception {
        RawClient ann = client();
        RawClient bob = client();
        RawClient cat = client();

        ann.socket().emit(ChatEvents.SEND_MESSAGE, "hello all", "");

        assertThat(bob.nextMessage()[0]).isEqualTo("hello all");
        assertThat(cat.nextMessage()[0]).isEqualTo("hello all");
        assertThat(ann.nextMessage(QUIET_MILLIS)).isNull();
    }

    @Test
    void missingRoomArgumentMeansEveryone() throws Exception {
        RawClient ann = client();
        RawClient bob = client();

        ann.socket().emit(ChatEvents.SEND_MESSAGE, "no room given");

        assertThat(bob.nextMessage()[0]).isEqualTo("no room given");
        assertThat(ann.nextMessage(QUIET_MILLIS)).isNull();
    }

    @Test
    void roomMessagesReachMembersOnlyAndNotTheSender() throws Exception {
        RawClient ann = client();
        RawClient bob = client();
        RawClient outsider = client();
        assertThat(ann.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");
        assertThat(bob.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");

        ann.socket().emit(ChatEvents.SEND_MESSAGE, "room only", "design");

        Object[] got = bob.nextMessage();
        assertThat(got[0]).isEqualTo("room only");
        JSONObject meta = (JSONObject) got[1];
        assertThat(meta.getString("kind")).isEqualTo("room");
        assertThat(meta.getString("room")).isEqualTo("design");
        assertThat(meta.getString("from")).isEqualTo(ann.awaitId());
        assertThat(outsider.nextMessage(QUIET_MILLIS)).isNull();
        assertThat(ann.nextMessage(QUIET_MILLIS)).isNull();
    }

    @Test
    void directMessageByIdReachesExactlyOneSocket() throws Exception {
        RawClient ann = client();
        RawClient bob = client();
        RawClient cat = client();

        ann.socket().emit(ChatEvents.SEND_MESSAGE, "just for you", bob.awaitId());

        Object[] got = bob.nextMessage();
        assertThat(got[0]).isEqualTo("just for you");
        assertThat(((JSONObject) got[1]).getString("kind")).isEqualTo("direct");
        assertThat(cat.nextMessage(QUIET_MILLIS)).isNull();
        assertThat(ann.nextMessage(QUIET_MILLIS)).isNull();
    }

    @Test
    void joinRoomAckTextIsExact() throws Exception {
        RawClient ann = client();
        assertThat(ann.request(ChatEvents.JOIN_ROOM, "Café ☕ 2")).containsExactly("Joined Café ☕ 2");
    }

    @Test
    void nobodyMayJoinAnotherSocketsOwnRoom() throws Exception {
        RawClient ann = client();
        RawClient eve = client();
        Object[] ack = eve.request(ChatEvents.JOIN_ROOM, ann.awaitId());
        assertThat(((JSONObject) ack[0]).getBoolean("ok")).isFalse();
        RawClient bob = client();
        bob.socket().emit(ChatEvents.SEND_MESSAGE, "private", ann.awaitId());
        assertThat(ann.nextMessage()[0]).isEqualTo("private");
        assertThat(eve.nextMessage(QUIET_MILLIS)).isNull();
    }

    @Test
    void extraArgumentsFollowTheTextAndSingleArgumentReadersAreUnaffected() throws Exception {
        RawClient ann = client();
        RawClient tutorial = client();
        java.util.concurrent.BlockingQueue<Object> firstArgumentOnly = new java.util.concurrent.LinkedBlockingQueue<>();
        // A tutorial page: socket.on('receive-message', message => displayMessage(message))
        tutorial.socket().on(ChatEvents.RECEIVE_MESSAGE, args -> firstArgumentOnly.add(args[0]));

        ann.socket().emit(ChatEvents.SEND_MESSAGE, "plain text first", "");

        Object[] got = tutorial.nextMessage();
        // A third argument is the recovery offset Socket.IO 4.6+ servers add (docs/PROTOCOL.md §16).
        assertThat(got).hasSizeBetween(2, 3);
        if (got.length == 3) {
            assertThat(got[2]).asString().matches("[0-9]+");
        }
        assertThat(got[0]).isEqualTo("plain text first");
        JSONObject meta = (JSONObject) got[1];
        assertThat(meta.getString("from")).isEqualTo(ann.awaitId());
        assertThat(meta.getString("kind")).isEqualTo("everyone");
        assertThat(meta.getLong("time")).isPositive();
        assertThat(meta.getString("id")).isNotBlank();
        assertThat(firstArgumentOnly.poll(RawClient.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo("plain text first");
    }

    @Test
    void sendMessageAckConfirmsOrRefusesWithReason() throws Exception {
        RawClient ann = client();
        JSONObject ok = (JSONObject) ann.request(ChatEvents.SEND_MESSAGE, "acked", "")[0];
        assertThat(ok.getBoolean("ok")).isTrue();
        assertThat(ok.getString("id")).isNotBlank();

        JSONObject refused = (JSONObject) ann.request(ChatEvents.SEND_MESSAGE, "x".repeat(5000), "")[0];
        assertThat(refused.getBoolean("ok")).isFalse();
        assertThat(refused.getString("error")).contains("longer than 4000");

        JSONObject wrongType = (JSONObject) ann.request(ChatEvents.SEND_MESSAGE, new JSONObject().put("a", 1), "")[0];
        assertThat(wrongType.getString("error")).contains("must be a string");
    }

    @Test
    void announcementReachesEveryoneIncludingTheHostsOwnSocket() throws Exception {
        RawClient ann = client();
        RawClient bob = client();
        host.announce("Welcome");
        assertThat(ann.nextMessage()[0]).isEqualTo("Welcome");
        Object[] got = bob.nextMessage();
        assertThat(((JSONObject) got[1]).getString("kind")).isEqualTo("announcement");
    }

    @Test
    void customEventsOfAnyNameReachTheHostWithTheirArgumentsAndAreAcked() throws Exception {
        java.util.concurrent.BlockingQueue<app.parley.session.SessionEvent> seen =
                new java.util.concurrent.LinkedBlockingQueue<>();
        host.addListener(seen::add);
        RawClient ann = client();

        // The seed: socket.emit('custom-event', 10, 'Hi', {a: 1})
        Object[] ack = ann.request("custom-event", 10, "Hi", new JSONObject().put("a", 1));

        // An ack with several arguments: the confirmation, then the arguments back.
        assertThat(ack).hasSize(4);
        assertThat(ack[0]).isEqualTo("Received custom-event");
        assertThat(ack[1]).isEqualTo(10);
        assertThat(ack[2]).isEqualTo("Hi");
        assertThat(((JSONObject) ack[3]).getInt("a")).isEqualTo(1);
        // one bound for the whole wait: other events may come first, and none at all must not hang
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(RawClient.WAIT_SECONDS);
        app.parley.session.SessionEvent next = null;
        while (!(next instanceof app.parley.session.SessionEvent.CustomEventReceived)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "no CustomEventReceived within " + RawClient.WAIT_SECONDS + " s; last event: " + next);
            }
            next = seen.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        var event = (app.parley.session.SessionEvent.CustomEventReceived) next;
        assertThat(event.name()).isEqualTo("custom-event");
        assertThat(event.args()).containsExactly(10, "Hi", Map.of("a", 1));
        assertThat(event.source()).isEqualTo(ann.awaitId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void theHandshakeAuthPayloadReachesTheHost(String transport) throws Exception {
        io.socket.client.IO.Options options = io.socket.client.IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(new String[] {transport})
                .setAuth(Map.of("token", "123"))
                .build();
        io.socket.client.Socket socket =
                io.socket.client.IO.socket(java.net.URI.create("http://127.0.0.1:" + port), options);
        java.util.concurrent.CompletableFuture<String> id = new java.util.concurrent.CompletableFuture<>();
        socket.on(io.socket.client.Socket.EVENT_CONNECT, args -> id.complete(socket.id()));
        socket.connect();
        try {
            String socketId = id.get(RawClient.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(host.handshakeAuth(socketId)).hasValue(Map.of("token", "123"));
            RawClient without = client();
            assertThat(host.handshakeAuth(without.awaitId())).isEmpty();
        } finally {
            socket.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void disallowedBrowserOriginIsRefusedOnEveryTransport(String transport) throws Exception {
        RawClient evil =
                RawClient.connect(port, new String[] {transport}, Map.of("Origin", List.of("http://evil.example")));
        clients.add(evil);
        assertThat(evil.awaitConnectError()).isNotNull();
        assertThat(evil.socket().connected()).isFalse();

        RawClient seedPage =
                RawClient.connect(port, new String[] {transport}, Map.of("Origin", List.of("http://localhost:8080")));
        clients.add(seedPage);
        assertThat(seedPage.awaitId()).isNotBlank();
        RawClient desktop = RawClient.connect(port, new String[] {transport}, Map.of());
        clients.add(desktop);
        assertThat(desktop.awaitId()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void disallowedOriginGetsA403WithAReasonOnTheRawWire(String transport) throws Exception {
        String upgrade = transport.equals("websocket")
                ? "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                : "";
        String request = "GET /socket.io/?EIO=4&transport=" + transport + " HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\n" + upgrade + "\r\n";
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
            raw.setSoTimeout(5_000);
            raw.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(raw.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403");
            assertThat(response).contains("Origin http://evil.example is not allowed by this host");
        }
    }

    @Test
    void listPeersAnswersWithEveryConnectedId() throws Exception {
        RawClient ann = client();
        RawClient bob = client();
        JSONObject answer = (JSONObject) bob.request(ChatEvents.LIST_PEERS)[0];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < answer.getJSONArray("peers").length(); i++) {
            ids.add(answer.getJSONArray("peers").getString(i));
        }
        assertThat(ids).containsExactlyInAnyOrder(ann.awaitId(), bob.awaitId());
    }

    @Test
    void whoAskedForTheListHearsEachChangeInBatchesAndNobodyElseHearsAnything() throws Exception {
        java.util.concurrent.BlockingQueue<Object> annHears = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<String> bobHears = new java.util.concurrent.LinkedBlockingQueue<>();
        RawClient ann = client(socket -> socket.on(ChatEvents.PEERS_CHANGED, args -> annHears.add(args[0])));
        RawClient bob = client(socket -> {
            for (String presence : List.of(ChatEvents.PEERS, ChatEvents.PEERS_CHANGED)) {
                socket.on(presence, args -> bobHears.add(presence + " " + args[0]));
            }
        });
        String annId = ann.awaitId();
        String bobId = bob.awaitId();
        JSONObject list = (JSONObject) bob.request(ChatEvents.LIST_PEERS)[0];
        assertThat(list.getJSONArray("peers").toList()).containsExactlyInAnyOrder(annId, bobId);

        // Three arrive: batches name them, each once, and nobody as gone. (Together they share one
        // batch; on a loaded machine their connects may straddle the 250 ms batch window.)
        List<RawClient> arrivals = List.of(client(), client(), client());
        List<String> arrivalIds = new ArrayList<>();
        for (RawClient arrival : arrivals) {
            arrivalIds.add(arrival.awaitId());
        }
        List<Object> named = new ArrayList<>();
        while (!named.containsAll(arrivalIds)) {
            JSONObject joined =
                    awaitChange(bobHears, c -> !c.getJSONArray("joined").isEmpty());
            assertThat(joined.getJSONArray("left").toList()).isEmpty();
            named.addAll(joined.getJSONArray("joined").toList());
        }
        // A change already in the list may come again in the next batch (PROTOCOL.md §4.4).
        named.removeAll(List.of(annId, bobId));
        assertThat(named).containsExactlyInAnyOrderElementsOf(arrivalIds);
        arrivals.get(0).close();
        JSONObject left =
                awaitChange(bobHears, c -> c.getJSONArray("left").toList().contains(arrivalIds.get(0)));
        assertThat(left.getJSONArray("joined").toList()).isEmpty();

        // Without an ack the list comes as a `peers` event.
        bob.socket().emit(ChatEvents.LIST_PEERS);
        String pushed = awaitLine(bobHears, l -> l.startsWith(ChatEvents.PEERS + " "));
        assertThat(pushed).contains(annId, bobId, arrivalIds.get(1)).doesNotContain(arrivalIds.get(0));
        // ann never asked: a tutorial client pays nothing for presence.
        assertThat(annHears.poll(2 * Presence.BATCH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS))
                .isNull();
    }

    private static JSONObject awaitChange(
            java.util.concurrent.BlockingQueue<String> lines, java.util.function.Predicate<JSONObject> wanted)
            throws Exception {
        String prefix = ChatEvents.PEERS_CHANGED + " ";
        return new JSONObject(awaitLine(
                        lines, l -> l.startsWith(prefix) && wanted.test(new JSONObject(l.substring(prefix.length()))))
                .substring(prefix.length()));
    }

    private static String awaitLine(
            java.util.concurrent.BlockingQueue<String> lines, java.util.function.Predicate<String> wanted)
            throws Exception {
        long deadline = System.currentTimeMillis() + RawClient.WAIT_SECONDS * 1000;
        while (System.currentTimeMillis() < deadline) {
            String line = lines.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no matching presence event; still queued: " + lines);
    }
}
