package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A host with a password: joiners send it in the handshake auth; anyone else is refused, unannounced. */
class HostPasswordTest {
    private HostServer host;
    private int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final OkHttpClient http = new OkHttpClient();

    @BeforeEach
    void start() {
        host = new HostServer(HostConfig.loopback(Set.of()).withPassword("s3cret"));
        port = host.start();
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        http.dispatcher().executorService().shutdown();
        host.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void onlyTheRightPasswordGetsIn(String transport) throws Exception {
        Attempt member = attempt(transport, Map.of("password", "s3cret"));
        String memberId = member.connected.get(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
        BlockingQueue<Object> peersSeen = member.peers;
        // Asked without an ack, the host sends the list as a `peers` event: the member alone.
        member.socket.emit(ChatEvents.LIST_PEERS);
        assertThat(String.valueOf(peersSeen.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS)))
                .contains(memberId);
        // Its own arrival may still come in the next batch; let it, then listen afresh.
        Thread.sleep(2 * Presence.BATCH_MILLIS + 100);
        peersSeen.clear();

        for (Map<String, String> auth :
                List.of(Map.of("password", "wrong"), Map.<String, String>of(), Map.of("password", "S3CRET"))) {
            Attempt intruder = attempt(transport, auth);
            Object error = intruder.refused.get(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(((JSONObject) error).getString("message")).isEqualTo("wrong password");
            assertThat(intruder.socket.connected()).isFalse();
        }
        // A tutorial client that knows nothing of passwords is refused the same way.
        Attempt tutorial = attempt(transport, null);
        assertThat(((JSONObject) tutorial.refused.get(RawClient.WAIT_SECONDS, TimeUnit.SECONDS)).getString("message"))
                .isEqualTo("wrong password");

        // Nothing was announced for the refused: the member saw no peers change, the host lists one socket.
        assertThat(peersSeen.poll(2 * Presence.BATCH_MILLIS + 200, TimeUnit.MILLISECONDS))
                .isNull();
        assertThat(host.connectedIds()).containsExactly(memberId);
    }

    @org.junit.jupiter.api.Test
    void aJoinerWithTheWrongPasswordIsToldSoOnceAndNotRetried() throws Exception {
        BlockingQueue<app.parley.session.SessionEvent> events = new LinkedBlockingQueue<>();
        try (app.parley.join.ClientConnection joiner = new app.parley.join.ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                app.parley.join.ClientConnection.Options.builder()
                        .password("guess")
                        .build())) {
            joiner.addListener(events::add);
            joiner.open();
            app.parley.session.SessionEvent.StateChanged refused = null;
            long deadline = System.currentTimeMillis() + RawClient.WAIT_SECONDS * 1000;
            while (refused == null && System.currentTimeMillis() < deadline) {
                if (events.poll(200, TimeUnit.MILLISECONDS) instanceof app.parley.session.SessionEvent.StateChanged s
                        && s.state() == app.parley.session.ConnectionState.DISCONNECTED) {
                    refused = s;
                }
            }
            assertThat(refused).as("a DISCONNECTED state").isNotNull();
            assertThat(refused.detail()).contains("wrong password");
            // Not a silent reconnect loop: nothing more happens.
            assertThat(events.poll(2, TimeUnit.SECONDS)).isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void theHostsOwnWindowJoinsWithThePassword() throws Exception {
        HostSession session = HostSession.start(HostConfig.loopback(Set.of()).withPassword("pa55"));
        CompletableFuture<String> id = new CompletableFuture<>();
        session.addListener(e -> {
            if (e instanceof app.parley.session.SessionEvent.Connected c) {
                id.complete(c.socketId());
            }
        });
        try {
            session.open();
            assertThat(id.get(RawClient.WAIT_SECONDS, TimeUnit.SECONDS)).isNotBlank();
        } finally {
            session.close();
        }
    }

    private Attempt attempt(String transport, Map<String, String> auth) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(new String[] {transport})
                .setAuth(auth)
                .build();
        options.callFactory = http;
        options.webSocketFactory = http;
        Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
        Attempt attempt = new Attempt(socket);
        socket.on(Socket.EVENT_CONNECT, args -> attempt.connected.complete(socket.id()));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> attempt.refused.complete(args.length > 0 ? args[0] : null));
        for (String presence : List.of(ChatEvents.PEERS, ChatEvents.PEERS_CHANGED)) {
            socket.on(presence, args -> attempt.peers.add(args[0]));
        }
        sockets.add(socket);
        socket.connect();
        return attempt;
    }

    private static final class Attempt {
        final Socket socket;
        final CompletableFuture<String> connected = new CompletableFuture<>();
        final CompletableFuture<Object> refused = new CompletableFuture<>();
        final BlockingQueue<Object> peers = new LinkedBlockingQueue<>();

        Attempt(Socket socket) {
            this.socket = socket;
        }
    }
}
