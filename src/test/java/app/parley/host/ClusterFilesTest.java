package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import app.parley.testing.PostgresServer;
import app.parley.testing.RawClient;
import app.parley.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in a cluster: a file sent through one host is read through another, whose own shelf never
 * had it; the bytes come from the cluster's PostgreSQL (docs/PROTOCOL.md §19.3), checked by their
 * SHA-256, for the Parley client's reads and for a browser's download link alike.
 */
class ClusterFilesTest {
    private static final String ROOM = "share";

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The PostgreSQL of the cluster {@link #cluster} made. */
    private PostgresServer postgres;

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aFileSentThroughOneHostIsReadThroughAnother() throws Exception {
        HostConfig config = cluster(HostConfig.FileLimits.DEFAULT);
        HostServer hostA = start(config);
        HostServer hostB = start(config);

        Sent sent = sendAcross(hostA, hostB, 3 * 1024 * 1024 + 17, 27);
        ChatMessage message = sent.message();
        ClientConnection bob = sent.bob();
        Path file = sent.file();
        byte[] bytes = sent.bytes();
        assertThat(message.file().expired()).isFalse();

        // History read through host B, which has not got the bytes yet: the file is there, not expired.
        try (RawClient reader = RawClient.connect(hostB.port())) {
            reader.awaitId();
            reader.request("join-room", ROOM);
            JSONObject page = new JSONObject(reader.request("history", Map.of("room", ROOM))[0].toString());
            JSONObject meta = page.getJSONArray("messages").getJSONObject(0).getJSONObject("meta");
            assertThat(meta.getJSONObject("file").getString("sha256"))
                    .isEqualTo(message.file().sha256());
            assertThat(meta.getJSONObject("file").has("expired")).as("%s", meta).isFalse();
        }

        Path saved = dir.resolve("saved.bin");
        bob.receiveFile(message, saved).done().get(60, TimeUnit.SECONDS);
        assertThat(saved).as("read through host B").hasSameBinaryContentAs(file);

        // A browser on host B: its download link serves the same bytes.
        try (RawClient browser = RawClient.connect(hostB.port())) {
            browser.awaitId();
            browser.request("join-room", ROOM);
            JSONObject link = new JSONObject(browser.request("file-link", Map.of("id", message.id()))[0].toString());
            assertThat(link.optBoolean("ok")).as("%s", link).isTrue();
            HttpResponse<byte[]> download = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostB.port())
                                            .resolve(link.getString("url")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(bytes);
        }
    }

    @Test
    void theQuotaHoldsForTheClustersStoreAndWhatItDeletesHasExpiredEverywhere() throws Exception {
        HostConfig config = cluster(HostConfig.FileLimits.DEFAULT.withQuotaBytes(5_000_000));
        HostServer hostA = start(config);
        // Host B's shelf in a folder of the test's: history.db's files are in history-files/.
        Files.createDirectories(dir.resolve("b"));
        HostServer hostB = start(config.withHistory(dir.resolve("b").resolve("history.db")));
        Path shelfB = dir.resolve("b").resolve("history-files");
        ClientConnection ann = member("Ann", hostA.port(), new ConcurrentLinkedQueue<>());
        List<String> shas = new ArrayList<>();
        try (RawClient reader = RawClient.connect(hostB.port())) {
            reader.awaitId();
            reader.request("join-room", ROOM);
            String firstId = null;
            for (String name : List.of("first.bin", "second.bin")) {
                byte[] bytes = new byte[3_000_000];
                new Random(name.hashCode()).nextBytes(bytes);
                Path file = dir.resolve(name);
                Files.write(file, bytes);
                ann.sendFile(new Target.Room(ROOM), file, UUID.randomUUID().toString())
                        .done()
                        .get(60, TimeUnit.SECONDS);
                shas.add(sha256(bytes));
                if (firstId == null) {
                    // Read through host B, which copies the whole file onto its own shelf.
                    firstId = new JSONObject(reader.request("history", Map.of("room", ROOM))[0].toString())
                            .getJSONArray("messages")
                            .getJSONObject(0)
                            .getJSONObject("meta")
                            .getString("id");
                    String read =
                            reader.request("file-read", Map.of("id", firstId, "offset", 0, "length", 1))[0].toString();
                    assertThat(read).contains("\"ok\":true");
                    assertThat(shelfB.resolve(shas.get(0).substring(0, 2)).resolve(shas.get(0)))
                            .as("host B's copy")
                            .exists();
                }
            }
            // Host B served its copy on the strength of one look at the cluster's store; the next
            // look, this long after, finds it deleted there.
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(app.parley.store.FileShelf.RECHECK_NANOS) + 500);
            String read = reader.request("file-read", Map.of("id", firstId, "offset", 0, "length", 1))[0].toString();
            assertThat(read).contains("the file expired");
            assertThat(shelfB.resolve(shas.get(0).substring(0, 2)).resolve(shas.get(0)))
                    .as("host B's copy of bytes the cluster deleted")
                    .doesNotExist();

            // 6 MB over a 5 MB quota: the first file made room for the second, in the cluster's store.
            org.json.JSONArray messages = new JSONObject(reader.request("history", Map.of("room", ROOM))[0].toString())
                    .getJSONArray("messages");
            assertThat(messages.length()).isEqualTo(2);
            JSONObject first = messages.getJSONObject(0).getJSONObject("meta").getJSONObject("file");
            JSONObject second = messages.getJSONObject(1).getJSONObject("meta").getJSONObject("file");
            assertThat(first.getString("sha256")).isEqualTo(shas.get(0));
            assertThat(first.optBoolean("expired")).as("deleted to make room").isTrue();
            assertThat(second.has("expired")).as("the newer one stays").isFalse();
        }
    }

    @Test
    void bytesThatDoNotMatchTheirSha256AreNeverServed() throws Exception {
        HostConfig config = cluster(HostConfig.FileLimits.DEFAULT);
        HostServer hostA = start(config);
        HostServer hostB = start(config);
        Sent sent = sendAcross(hostA, hostB, 2_000_000, 5);
        ChatMessage message = sent.message();
        ClientConnection bob = sent.bob();
        byte[] bytes = sent.bytes();
        // Someone with access to the database changes the bytes under the file's SHA-256.
        postgres.sql(
                config.store().database(),
                "UPDATE file_parts SET bytes = 'not the bytes'::bytea WHERE sha256 = '" + sha256(bytes) + "'");

        Path saved = dir.resolve("saved.bin");
        assertThatThrownBy(() -> bob.receiveFile(message, saved).done().get(60, TimeUnit.SECONDS))
                .hasMessageContaining("the host cannot read this file now");
        assertThat(saved).doesNotExist();
    }

    /** What Ann sent through host A, as Bob on host B heard of it, and Bob's connection. */
    private record Sent(ClientConnection bob, ChatMessage message, Path file, byte[] bytes) {}

    /** Ann, on host A, sends {@code size} random bytes to the room; Bob, on host B, hears of the file. */
    private Sent sendAcross(HostServer hostA, HostServer hostB, int size, long seed) throws Exception {
        ConcurrentLinkedQueue<SessionEvent> heardByBob = new ConcurrentLinkedQueue<>();
        ClientConnection ann = member("Ann", hostA.port(), new ConcurrentLinkedQueue<>());
        ClientConnection bob = member("Bob", hostB.port(), heardByBob);
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = dir.resolve("report.bin");
        Files.write(file, bytes);
        ann.sendFile(new Target.Room(ROOM), file, UUID.randomUUID().toString())
                .done()
                .get(60, TimeUnit.SECONDS);
        ChatMessage message = await(
                () -> heardByBob.stream()
                        .filter(e -> e instanceof SessionEvent.MessageReceived)
                        .map(e -> ((SessionEvent.MessageReceived) e).message())
                        .filter(m -> m.file() != null)
                        .findFirst(),
                "Bob, on host B, hears of the file");
        return new Sent(bob, message, file, bytes);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A PostgreSQL and a Redis of this test's, and the hosts' config for a cluster on them. */
    private HostConfig cluster(HostConfig.FileLimits files) throws Exception {
        postgres = PostgresServer.start();
        toClose.add(postgres);
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        return HostConfig.loopback(Set.of())
                .withStore(postgres.freshDatabase())
                .withCluster(redis.target())
                .withChatRate(new HostConfig.ChatRate(10_000, 10_000))
                .withFiles(files);
    }

    private HostServer start(HostConfig config) {
        HostServer host = new HostServer(config);
        host.start();
        toClose.add(host::close);
        return host;
    }

    private ClientConnection member(String name, int port, ConcurrentLinkedQueue<SessionEvent> heard) throws Exception {
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .transports("websocket")
                        .identity(new Identity(name, UUID.randomUUID().toString()))
                        .build());
        toClose.add(connection);
        connection.addListener(heard::add);
        connection.open();
        await(() -> Optional.ofNullable(connection.isParleyHost() ? connection.socketId() : null), name + " connects");
        connection.joinRoom(ROOM).get(10, TimeUnit.SECONDS);
        return connection;
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> probe, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out: " + what);
    }
}
