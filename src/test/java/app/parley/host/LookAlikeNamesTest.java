package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names that only look like one already here (Unicode TR39 skeletons) are refused, at connect
 * and by {@code set-name}, with a reason naming the one they resemble: over loopback, with the
 * real socket.io-client-java sending {@code auth.name} as Parley's client does.
 */
class LookAlikeNamesTest {
    private static final long WAIT = 10;

    private final OkHttpClient http = new OkHttpClient.Builder().build();
    private final List<Socket> sockets = new ArrayList<>();
    private HostServer host;
    private int port;
    private Peer bob;
    /** Bob's installation key (a user key is at least 16 characters). */
    private final String bobsKey = UUID.randomUUID().toString();

    @BeforeEach
    void start() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(new HostConfig.ChatRate(1000, 1000)));
        port = host.start();
        bob = connect("bob", bobsKey);
        assertThat(bob.error.getNow(null)).isNull();
        assertThat(bob.nameAtHost()).isEqualTo("bob");
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        host.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"b\u043eb", "\uff42\uff4f\uff42", "b0b", "B\u041eB"})
    void aLookAlikeIsRefusedAtConnectAndByRenameNamingWhoItResembles(String lookAlike) throws Exception {
        Peer mallory = connect(lookAlike, UUID.randomUUID().toString());
        assertThat(mallory.nameAtHost()).as("connected, without a name").isNull();
        // The refusal came at connect, so before the answer to list-peers.
        JSONObject error = mallory.error.getNow(null);
        assertThat(error).isNotNull();
        assertThat(error.getString("event")).isEqualTo(ChatEvents.SET_NAME);
        assertThat(error.getString("error"))
                .isEqualTo("the name \"" + lookAlike + "\" looks like \"bob\", who is already here");

        JSONObject refused = mallory.setName(lookAlike);
        assertThat(refused.getBoolean("ok")).isFalse();
        assertThat(refused.getString("error")).contains("looks like \"bob\"");
        assertThat(mallory.nameAtHost()).isNull();
        assertThat(bob.nameAtHost()).isEqualTo("bob");
    }

    @Test
    void theSameNameInAnotherCaseKeepsItsOwnRules() throws Exception {
        // At connect a taken name becomes a variant, by rename it is taken: as before.
        Peer shouting = connect("BOB", UUID.randomUUID().toString());
        assertThat(shouting.nameAtHost()).isEqualTo("BOB 2");
        assertThat(shouting.setName("BOB").getString("error")).isEqualTo("\"BOB\" is taken");
    }

    @Test
    void unrelatedNamesAreGrantedAndOnesOwnLookAlikesToo() throws Exception {
        for (String name : List.of("bobby", "rob", "\u0412\u043e\u0432\u0430", "b\u00f6b")) {
            Peer someone = connect(name, UUID.randomUUID().toString());
            assertThat(someone.nameAtHost()).as(name).isEqualTo(name);
            assertThat(someone.error.getNow(null)).isNull();
        }
        // Bob may rename to a look-alike of his own name, and hold it on a second device.
        assertThat(bob.setName("b\u043eb").getBoolean("ok")).isTrue();
        Peer bobsLaptop = connect("\uff42\uff4f\uff42", bobsKey);
        assertThat(bobsLaptop.nameAtHost()).isEqualTo("\uff42\uff4f\uff42");
        // Once he leaves, his names are free for anyone.
        bob.socket.close();
        bobsLaptop.socket.close();
        Peer later = connect("alice", UUID.randomUUID().toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        JSONObject renamed;
        do {
            renamed = later.setName("bob");
        } while (!renamed.getBoolean("ok") && System.nanoTime() < deadline && sleep());
        assertThat(renamed.getBoolean("ok")).isTrue();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    private Peer connect(String name, String user) throws Exception {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(new String[] {"websocket"})
                .setAuth(Map.of("name", name, "user", user))
                .build();
        options.callFactory = http;
        options.webSocketFactory = http;
        Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
        sockets.add(socket);
        Peer peer = new Peer(socket);
        CompletableFuture<String> connected = new CompletableFuture<>();
        socket.on(Socket.EVENT_CONNECT, args -> connected.complete(socket.id()));
        socket.on(ChatEvents.ERROR, args -> peer.error.complete((JSONObject) args[0]));
        socket.connect();
        connected.get(WAIT, TimeUnit.SECONDS);
        return peer;
    }

    private static final class Peer {
        final Socket socket;
        final CompletableFuture<JSONObject> error = new CompletableFuture<>();

        Peer(Socket socket) {
            this.socket = socket;
        }

        JSONObject setName(String name) throws Exception {
            return (JSONObject) request(ChatEvents.SET_NAME, name);
        }

        /** This socket's name as the host lists it, or null. */
        String nameAtHost() throws Exception {
            JSONObject peers = (JSONObject) request(ChatEvents.LIST_PEERS);
            JSONObject names = peers.getJSONObject("names");
            return names.optString(socket.id(), null);
        }

        private Object request(String event, Object... args) throws Exception {
            CompletableFuture<Object[]> ack = new CompletableFuture<>();
            socket.emit(event, args, ack::complete);
            return ack.get(WAIT, TimeUnit.SECONDS)[0];
        }
    }
}
