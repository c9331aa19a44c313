package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley's own client and the real Node client exchange files through a Parley host with the
 * documented events: the Node script reads what Parley sent, Parley reads what Node sent, and
 * both check every byte.
 */
class FilesWithNodeTest {
    @TempDir
    Path dir;

    @Test
    void aNodeClientAndAParleyClientExchangeFiles() throws Exception {
        HostServer host = new HostServer(HostConfig.loopback(Set.of()));
        int port = host.start();
        ClientConnection ann = new ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .identity(new Identity("Ann", UUID.randomUUID().toString()))
                        .build());
        CompletableFuture<ChatMessage> fromNode = new CompletableFuture<>();
        ann.addListener(event -> {
            if (event instanceof SessionEvent.MessageReceived received
                    && received.message().file() != null
                    && received.message().file().name().equals("from-node.bin")) {
                fromNode.complete(received.message());
            }
        });
        try {
            ann.open();
            byte[] mine = new byte[2_345_678];
            new Random(7).nextBytes(mine);
            Path file = dir.resolve("from-parley.bin");
            Files.write(file, mine);
            ann.sendFile(new Target.Everyone(), file, UUID.randomUUID().toString())
                    .done()
                    .get(30, TimeUnit.SECONDS);

            String sha = HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(mine));
            try (NodeProcess script =
                    NodeProcess.start("files.mjs", "http://127.0.0.1:" + port, "websocket", "exchange", sha)) {
                int exit = script.awaitExit(Duration.ofSeconds(60));
                assertThat(exit)
                        .as("files.mjs exchange exited %d:\n%s", exit, script.transcript())
                        .isZero();
            }

            ChatMessage message = fromNode.get(10, TimeUnit.SECONDS);
            Path saved = dir.resolve("saved.bin");
            ann.receiveFile(message, saved).done().get(30, TimeUnit.SECONDS);
            byte[] expected = new byte[1_234_567];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) ((i * 31 + 7) & 0xff);
            }
            assertThat(Files.readAllBytes(saved)).isEqualTo(expected);
        } finally {
            ann.close();
            host.close();
        }
    }
}
