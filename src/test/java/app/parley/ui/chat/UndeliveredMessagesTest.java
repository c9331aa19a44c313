package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.ClientConnection;
import app.parley.session.ConnectionState;
import app.parley.session.Identity;
import app.parley.testing.CuttingProxy;
import app.parley.testing.RawClient;
import app.parley.ui.lines.ConversationLine;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the window shows when the host is out of reach: own messages go from sending to failed in
 * bounded time, the undelivered count says so, and Retry delivers each once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UndeliveredMessagesTest {
    private final BlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
    private final Executor ui = uiQueue::add;

    @Test
    void failedMessagesAreCountedAndRetryDeliversThem() throws Exception {
        HostServer host = new HostServer(HostConfig.loopback(Set.of()));
        host.start();
        int deadPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
        try (CuttingProxy proxy = new CuttingProxy(host.port());
                RawClient peer = RawClient.connect(host.port())) {
            peer.awaitId();
            ClientConnection session = new ClientConnection(
                    URI.create("http://127.0.0.1:" + proxy.port()),
                    ClientConnection.Options.builder()
                            .reconnectDelay(Duration.ofMillis(200))
                            .deliveryDeadline(Duration.ofSeconds(1))
                            .identity(new Identity("Ann", UUID.randomUUID().toString()))
                            .build());
            ChatViewModel model = new ChatViewModel(session, ui);
            model.open();
            pumpUntil(() -> model.stateProperty().get() == ConnectionState.CONNECTED && session.isParleyHost());

            proxy.target(deadPort);
            proxy.cutAll();
            pumpUntil(() -> model.stateProperty().get() == ConnectionState.RECONNECTING);
            model.draftProperty().set("first try");
            model.send();
            assertThat(model.conversation())
                    .last()
                    .extracting(ConversationLine::status)
                    .isEqualTo("sending");
            pumpUntil(() -> model.failedCountProperty().get() == 1);
            assertThat(model.conversation())
                    .anyMatch(l -> l.text().equals("first try") && l.status().equals("failed"));
            assertThat(model.conversation())
                    .anyMatch(l ->
                            l.kind() == ConversationLine.Kind.NOTICE && l.text().contains("Not delivered"));

            proxy.target(host.port());
            model.retryNow();
            pumpUntil(() -> model.stateProperty().get() == ConnectionState.CONNECTED);
            model.retryFailed();
            assertThat(model.failedCountProperty().get()).isZero();
            assertThat(peer.nextMessage()[0]).isEqualTo("first try");
            pumpUntil(() -> model.conversation().stream()
                    .anyMatch(l -> l.text().equals("first try") && l.status().equals("delivered")));
            assertThat(model.conversation())
                    .filteredOn(l -> l.text().equals("first try"))
                    .hasSize(1);
            assertThat(peer.nextMessage(500)).isNull();
            model.close();
        } finally {
            host.close();
        }
    }

    private void pumpUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Runnable work = uiQueue.poll(50, TimeUnit.MILLISECONDS);
            if (work != null) {
                work.run();
            }
        }
    }
}
