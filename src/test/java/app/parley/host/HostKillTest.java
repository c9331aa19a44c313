package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.SqliteMessageStore;
import app.parley.store.StoredMessage;
import app.parley.testing.RawClient;
import io.socket.client.Ack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A headless host in a process of its own, killed with SIGKILL while messages pour in: every
 * message it acked is in its history file afterwards, and numbering skips ahead once, so no number
 * it may have handed out before the kill is given to another message.
 */
class HostKillTest {
    private static final Pattern LISTENING = Pattern.compile("^Parley host listening on .*:(\\d+)$");

    @Test
    @Timeout(120)
    void aKilledHostLosesNothingItAcked(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history.db");
        Process host = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.parley.app.Launcher",
                        "--host",
                        "--headless",
                        "--bind",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--history",
                        history.toString(),
                        "--chat-rate",
                        "100000/100000",
                        "--packet-rate",
                        "100000/100000")
                .redirectErrorStream(true)
                .start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try {
            int port = portOf(host);
            try (RawClient client = RawClient.connect(port, new String[] {"websocket"}, java.util.Map.of())) {
                client.awaitId();
                for (int i = 0; i < 2_000 && acked.size() < 300; i++) {
                    String cid = "c-" + i;
                    client.socket()
                            .emit(
                                    "send-message",
                                    new Object[] {"message " + i, "", new JSONObject().put("cid", cid)},
                                    (Ack) args -> {
                                        if (args.length > 0
                                                && args[0] instanceof JSONObject answer
                                                && answer.optBoolean("ok")) {
                                            acked.add(cid);
                                        }
                                    });
                    if (i % 50 == 49) {
                        Thread.sleep(20); // a stream, not one burst: some acked, some in flight at the kill
                    }
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (acked.size() < 300 && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                host.destroyForcibly(); // SIGKILL, mid-stream
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            host.destroyForcibly();
        }
        Set<String> ackedAtKill = Set.copyOf(acked);
        assertThat(ackedAtKill).hasSizeGreaterThanOrEqualTo(300);

        try (SqliteMessageStore store = SqliteMessageStore.open(history)) {
            List<StoredMessage> everyone = new java.util.ArrayList<>();
            for (long after = 0; ; ) {
                List<StoredMessage> page = store.after("*", after, 500);
                if (page.isEmpty()) {
                    break;
                }
                everyone.addAll(page);
                after = page.get(page.size() - 1).seq();
            }
            Set<String> stored =
                    everyone.stream().map(m -> m.message().clientId()).collect(java.util.stream.Collectors.toSet());
            assertThat(stored)
                    .as("every message acked before the kill is in the history")
                    .containsAll(ackedAtKill);
            assertThat(everyone).extracting(StoredMessage::seq).isSorted().doesNotHaveDuplicates();
            long last = everyone.get(everyone.size() - 1).seq();
            long next = store.append(List.of(new app.parley.store.NewMessage(
                            "*",
                            "after",
                            "u:x",
                            null,
                            null,
                            null,
                            "everyone",
                            null,
                            "after the kill",
                            java.time.Instant.now())))
                    .get(0)
                    .seq();
            assertThat(next).as("numbering after an unclean stop skips ahead").isGreaterThan(last + 1);
        }
    }

    private static int portOf(Process host) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "host-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the host exited before listening:\n" + seen);
    }
}
