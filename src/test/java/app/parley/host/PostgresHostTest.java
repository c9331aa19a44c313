package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.MessageStore;
import app.parley.store.PostgresMessageStore;
import app.parley.store.PostgresTarget;
import app.parley.store.StoredMessage;
import app.parley.testing.PostgresServer;
import app.parley.testing.RawClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless hosts ({@code parley-host --store postgresql://…}) in processes of their own on a real
 * PostgreSQL, the password in {@code PGPASSWORD} as an operator would give it, and a real
 * socket.io-client-java peer: history outlives the host, and while PostgreSQL is down sends are
 * refused (never acked) and go through once it is back, stored once.
 */
class PostgresHostTest {
    private static final String ANN = "postgres-host-test-key-of-ann-0123456789";
    private static final Pattern LISTENING = Pattern.compile("^Parley host listening on .*:(\\d+)$");

    static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Timeout(120)
    void historyOutlivesTheHostAndAnotherHostServesIt(@TempDir Path dir) throws Exception {
        PostgresTarget target = postgres.freshDatabase(PostgresServer.WITH_PASSWORD);
        Host first = Host.start(target, dir.resolve("a"));
        try (RawClient ann = connect(first.port, ANN)) {
            for (int i = 0; i < 20; i++) {
                JSONObject ack = send(ann, "hello " + i, "c-" + i);
                assertThat(ack.optBoolean("ok")).as(ack.toString()).isTrue();
                assertThat(ack.toString()).contains("\"seq\":" + (i + 1));
            }
        } finally {
            first.stop();
        }

        Host second = Host.start(target, dir.resolve("b"));
        try (RawClient bob = connect(second.port, "postgres-host-test-key-of-bob-0123456789");
                RawClient ann = connect(second.port, ANN)) {
            JSONObject page = (JSONObject) bob.request("history", new JSONObject())[0];
            List<String> texts = new ArrayList<>();
            JSONArray messages = page.getJSONArray("messages");
            for (int i = 0; i < messages.length(); i++) {
                texts.add(messages.getJSONObject(i).getString("text"));
            }
            assertThat(texts).containsSubsequence("hello 0", "hello 19").hasSize(20);
            // Ann's retry of a message the first host stored is recognised by the second
            JSONObject again = send(ann, "hello 0", "c-0");
            assertThat(again.optBoolean("ok")).isTrue();
            assertThat(again.getLong("seq")).isEqualTo(1);
        } finally {
            second.stop();
        }
    }

    @Test
    @Timeout(180)
    void whilePostgresIsDownSendsAreRefusedAndGoThroughOnceItIsBack(@TempDir Path dir) throws Exception {
        PostgresTarget target = postgres.freshDatabase(); // trusted: this JVM reads it back without PGPASSWORD
        Host host = Host.start(target, dir);
        Set<String> acked = new LinkedHashSet<>();
        Set<String> refused = new LinkedHashSet<>();
        try (RawClient ann = connect(host.port, ANN)) {
            for (int i = 0; i < 5; i++) {
                assertThat(send(ann, "before " + i, "before-" + i).optBoolean("ok"))
                        .isTrue();
                acked.add("before-" + i);
            }
            postgres.stop();
            try {
                for (int i = 0; i < 3; i++) {
                    JSONObject answer = send(ann, "during " + i, "during-" + i);
                    assertThat(answer.optBoolean("ok")).as(answer.toString()).isFalse();
                    assertThat(answer.toString()).contains("PostgreSQL");
                    refused.add("during-" + i);
                }
                assertThat(host.process.isAlive()).as("the host lives on").isTrue();
            } finally {
                postgres.begin();
            }
            // Parley's client sends a refused message again, with the same client id.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String cid : refused) {
                JSONObject answer = send(ann, "during", cid);
                while (!answer.optBoolean("ok") && System.nanoTime() < until) {
                    Thread.sleep(200);
                    answer = send(ann, "during", cid);
                }
                assertThat(answer.optBoolean("ok")).as(answer.toString()).isTrue();
                acked.add(cid);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(send(ann, "after " + i, "after-" + i).optBoolean("ok"))
                        .isTrue();
                acked.add("after-" + i);
            }
        } finally {
            host.stop();
        }
        try (MessageStore store = PostgresMessageStore.open(target)) {
            assertThat(store.after("*", 0, 500))
                    .extracting(m -> m.message().clientId())
                    .as("every acked message, once, in order")
                    .containsExactlyElementsOf(acked);
            assertThat(store.after("*", 0, 500))
                    .extracting(StoredMessage::seq)
                    .containsExactly(java.util.stream.LongStream.rangeClosed(1, acked.size())
                            .boxed()
                            .toArray(Long[]::new));
        }
        assertThat(host.output()).doesNotContain("Exception in thread");
    }

    private static RawClient connect(int port, String user) throws Exception {
        RawClient client = new RawClient(
                java.net.URI.create("http://127.0.0.1:" + port),
                new String[] {"websocket"},
                Map.of(),
                Map.of("name", user.substring(0, 10), "user", user),
                null);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    private static JSONObject send(RawClient client, String text, String cid) throws Exception {
        Object[] ack = client.request("send-message", text, "", new JSONObject().put("cid", cid));
        return (JSONObject) ack[0];
    }

    /** {@code parley --host --headless --store …} in a process of its own, PGPASSWORD in its environment. */
    private record Host(Process process, int port, StringBuffer printed) {
        static Host start(PostgresTarget target, Path dataDir) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "app.parley.app.Launcher",
                            "--host",
                            "--headless",
                            "--no-advertise",
                            "--bind",
                            "127.0.0.1",
                            "--port",
                            "0",
                            "--store",
                            target.toString())
                    .redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", PostgresServer.PASSWORD);
            builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
            Process process = builder.start();
            StringBuffer printed = new StringBuffer();
            try {
                return new Host(process, portOf(process, printed), printed);
            } catch (Exception | AssertionError e) {
                process.destroyForcibly();
                throw e;
            }
        }

        /** SIGTERM: the host finishes what it stored and closes the store. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        String output() {
            return printed.toString();
        }

        private static int portOf(Process host, StringBuffer printed) throws Exception {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                printed.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    Thread drain = new Thread(
                            () -> out.lines().forEach(l -> printed.append(l).append('\n')), "host-output");
                    drain.setDaemon(true);
                    drain.start();
                    return Integer.parseInt(m.group(1));
                }
            }
            throw new AssertionError("the host exited before listening:\n" + printed);
        }
    }
}
