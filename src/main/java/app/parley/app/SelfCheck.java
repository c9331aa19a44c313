package app.parley.app;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.ClientConnection;
import app.parley.protocol.Target;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --self-check}: proves an installed Parley works end to end. Hosts on a free loopback
 * port, joins it twice, sends a message from one to the other, and exits 0 only if it arrived.
 */
final class SelfCheck {
    private static final long TIMEOUT_SECONDS = 20;

    private SelfCheck() {}

    static int run() {
        int plain = round(new HostConfig("127.0.0.1", 0, Set.of()), ClientConnection.Options.defaults());
        if (plain != 0) {
            return plain;
        }
        // Over TLS too: the certificate is made with the runtime's own keytool, as a real host does.
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("parley-self-check");
            HostConfig secure = new HostConfig("127.0.0.1", 0, Set.of())
                    .withTls(new HostConfig.Tls(dir.resolve("identity.p12"), null));
            return round(
                    secure,
                    ClientConnection.Options.builder()
                            .knownHosts(dir.resolve("known-hosts"))
                            .build());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("Self-check failed over TLS: " + e);
            return 1;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static int round(HostConfig config, ClientConnection.Options options) {
        HostServer server = new HostServer(config);
        int port = server.start();
        URI uri = URI.create(config.scheme() + "://127.0.0.1:" + port);
        ClientConnection sender = new ClientConnection(uri, options);
        ClientConnection receiver = new ClientConnection(uri, options);
        try {
            CompletableFuture<String> senderUp = connected(sender);
            CompletableFuture<String> receiverUp = connected(receiver);
            CompletableFuture<String> arrived = new CompletableFuture<>();
            receiver.addListener(event -> {
                if (event instanceof SessionEvent.MessageReceived received) {
                    arrived.complete(received.message().text());
                }
            });
            sender.open();
            receiver.open();
            senderUp.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String receiverId = receiverUp.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String text = "self-check " + System.nanoTime();
            sender.send(new Target.Direct(receiverId), text).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String got = arrived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!text.equals(got)) {
                System.err.println("Self-check failed: sent \"" + text + "\" but received \"" + got + "\"");
                return 1;
            }
            System.out.println("Self-check passed: hosted on " + uri + ", joined twice, a direct message arrived.");
            return 0;
        } catch (Exception e) {
            System.err.println("Self-check failed on " + uri + ": " + e);
            return 1;
        } finally {
            sender.close();
            receiver.close();
            server.close();
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                java.nio.file.Files.deleteIfExists(file);
            }
            java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static CompletableFuture<String> connected(ClientConnection connection) {
        CompletableFuture<String> id = new CompletableFuture<>();
        connection.addListener(event -> {
            if (event instanceof SessionEvent.Connected c) {
                id.complete(c.socketId());
            }
        });
        return id;
    }
}
