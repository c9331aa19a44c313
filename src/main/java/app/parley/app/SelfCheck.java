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

    private SelfCheck() {
    }

    static int run() {
        HostServer server = new HostServer(new HostConfig("127.0.0.1", 0, Set.of()));
        int port = server.start();
        URI uri = URI.create("http://127.0.0.1:" + port);
        ClientConnection sender = new ClientConnection(uri, ClientConnection.Options.defaults());
        ClientConnection receiver = new ClientConnection(uri, ClientConnection.Options.defaults());
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
            System.err.println("Self-check failed: " + e);
            return 1;
        } finally {
            sender.close();
            receiver.close();
            server.close();
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
