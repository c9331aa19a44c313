package app.parley.join;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Delivery} takes for a copy of a message already shown. */
class DeliveryCopiesTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private static ChatMessage fromBob(long seq, String user, String cid) {
        return new ChatMessage(
                "hello",
                "socket-b",
                MessageKind.ROOM,
                "design",
                Instant.now(),
                UUID.randomUUID().toString(),
                "Bob",
                seq,
                false,
                "#design",
                user,
                cid);
    }

    @Test
    void aRetryStoredAgainUnderANewNumberIsACopy(@TempDir Path dir) {
        Delivery delivery = new Delivery(
                new Outbox(dir.resolve("outbox.json")),
                timers,
                (mayTransmit, entry, onAck) -> {},
                Duration.ofSeconds(30));

        assertThat(delivery.isNew(fromBob(7, "u:bob", "c-1"))).isTrue();
        // the host lost power before it acked c-1, skipped its numbering ahead, and stored Bob's retry again
        assertThat(delivery.isNew(fromBob(1_000_008, "u:bob", "c-1"))).isFalse();
        // later messages, and the same client id from someone else, are news
        assertThat(delivery.isNew(fromBob(1_000_009, "u:bob", "c-2"))).isTrue();
        assertThat(delivery.isNew(fromBob(1_000_010, "u:cat", "c-1"))).isTrue();
        // a replay below what was seen is a copy, as before
        assertThat(delivery.isNew(fromBob(8, "u:bob", "c-3"))).isFalse();
    }
}
