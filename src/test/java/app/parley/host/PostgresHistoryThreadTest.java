package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.NewMessage;
import app.parley.testing.PostgresServer;
import io.netty.channel.DefaultEventLoop;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A history in PostgreSQL is written on the history thread even for a message read on one of
 * Netty's I/O threads (SQLite's is written in place there): a commit over the network, or a wait
 * for a connection while PostgreSQL is down, must never hold up an I/O thread.
 */
class PostgresHistoryThreadTest {
    @Test
    void aMessageReadOnAnIoThreadIsStoredOnTheHistoryThread() throws Exception {
        DefaultEventLoop ioThread = new DefaultEventLoop();
        try (PostgresServer postgres = PostgresServer.start()) {
            HostConfig config = HostConfig.loopback(Set.of()).withStore(postgres.freshDatabase());
            History history = History.open(config, () -> ioThread.inEventLoop() ? ioThread : null);
            try {
                CompletableFuture<String> storedOn = new CompletableFuture<>();
                CompletableFuture<Long> acked = new CompletableFuture<>();
                ioThread.execute(() -> history.append(
                        new NewMessage(
                                "#room",
                                UUID.randomUUID().toString(),
                                "u:ann",
                                "c1",
                                "ann",
                                "Ann",
                                "room",
                                "room",
                                "hi",
                                Instant.now()),
                        stored -> storedOn.complete(Thread.currentThread().getName()),
                        stored -> acked.complete(stored.seq()),
                        storedOn::complete));

                assertThat(storedOn.get(20, TimeUnit.SECONDS)).isEqualTo("parley-history");
                assertThat(acked.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                history.close();
            }
        } finally {
            ioThread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
