package app.parley.join.patch;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.ClientConnection;
import app.parley.protocol.Target;
import app.parley.session.Identity;
import app.parley.testing.CuttingProxy;
import app.parley.testing.RawClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket probe cut after the host's {@code 3probe} and before the client's {@code 5}: without
 * {@link ProbeFailure} the client sits upgrading with polling paused, and what it sends waits for
 * the 45 s ping timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeFailureTest {
    /** Well under the ping timeout (pingInterval + pingTimeout, 45 s) that ends the stall unpatched. */
    private static final long DELIVERED_WITHIN_SECONDS = 10;

    @TempDir
    Path dir;

    private HostServer host;
    private CuttingProxy proxy;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withHistory(dir.resolve("history.db")));
        host.start();
        proxy = new CuttingProxy(host.port());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        proxy.close();
        host.close();
    }

    @Test
    void aMessageSentAfterTheProbeIsCutIsDeliveredOnceWithoutWaitingForThePingTimeout() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> probeCut = proxy.cutNextProbe(release);
        ClientConnection ann = new ClientConnection(
                URI.create("http://127.0.0.1:" + proxy.port()),
                ClientConnection.Options.builder() // polling, then the upgrade to WebSocket
                        .identity(new Identity("Ann", UUID.randomUUID().toString()))
                        .outboxes(dir.resolve("outbox"))
                        .reconnectDelay(Duration.ofMillis(200))
                        .build());
        toClose.add(ann);
        ann.open();
        RawClient bob = RawClient.connect(host.port());
        toClose.add(bob);
        bob.awaitId();
        // The probe waits at the proxy until Ann knows she talks to a Parley host (her sends want acks).
        waitFor(ann::isParleyHost);
        release.complete(null);
        probeCut.get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> sent = ann.send(Target.EVERYONE, "after the cut probe");
        try {
            sent.get(DELIVERED_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not acknowledged within " + DELIVERED_WITHIN_SECONDS
                    + " s: the connection is stuck upgrading (pending "
                    + ann.pending().size() + ")");
        }
        assertThat(bob.nextMessage()[0]).isEqualTo("after the cut probe");
        assertThat(bob.nextMessage(1_000)).as("delivered once").isNull();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(25);
        }
    }
}
