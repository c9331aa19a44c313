package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.store.NewMessage;
import app.parley.store.SqliteMessageStore;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The positions a host keeps for recovery over a shared store (docs/PROTOCOL.md §16): messages come
 * back in the order they were routed, not the store's, each with its position, read from a real
 * store; what fell out of the log is refused, never skipped.
 */
class RoutedLogTest {
    @TempDir
    Path folder;

    private SqliteMessageStore store;

    @BeforeEach
    void open() {
        store = SqliteMessageStore.open(folder.resolve("history.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void readsBackInRoutingOrderWithPositions() {
        List<StoredMessage> ops = store.append(List.of(message("#ops", "o1"), message("#ops", "o2")));
        List<StoredMessage> all = store.append(List.of(message("*", "e1"), message("*", "e2")));
        RoutedLog log = new RoutedLog(() -> store, 8, 0);
        // Routed interleaved, as two hosts' messages reach this one.
        assertThat(log.record("*", all.get(0).seq())).isEqualTo(1);
        log.record("#ops", ops.get(0).seq());
        log.record("*", all.get(1).seq());
        log.record("#ops", ops.get(1).seq());

        List<StoredMessage> after = log.after(0, 10);
        assertThat(after).extracting(m -> m.message().text()).containsExactly("e1", "o1", "e2", "o2");
        assertThat(after).extracting(StoredMessage::position).containsExactly(1L, 2L, 3L, 4L);
        assertThat(log.after(2, 1)).extracting(m -> m.message().text()).containsExactly("e2");
        assertThat(log.after(4, 10)).isEmpty();
        assertThat(log.latest()).isEqualTo(4);
    }

    @Test
    void aPositionOlderThanTheLogIsRefused() {
        List<StoredMessage> stored = store.append(java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> message("*", "m" + i))
                .toList());
        RoutedLog log = new RoutedLog(() -> store, 8, 0);
        stored.forEach(m -> log.record("*", m.seq()));

        assertThat(log.covers(4)).isTrue(); // 5..12 are the last eight
        assertThat(log.after(4, 100))
                .extracting(m -> m.message().text())
                .first()
                .isEqualTo("m4");
        assertThat(log.covers(3)).isFalse();
        assertThatThrownBy(() -> log.after(3, 1))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no longer known");
        assertThat(log.covers(13)).as("never routed").isFalse();
    }

    private static NewMessage message(String conversation, String text) {
        return new NewMessage(
                conversation,
                UUID.randomUUID().toString(),
                "ann",
                null,
                "sock-1",
                "Ann",
                conversation.equals("*") ? "everyone" : "room",
                conversation.equals("*") ? null : conversation.substring(1),
                text,
                Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void scanBackVisitsNewestFirstAndSaysWhetherItReachedTheEnd() {
        RoutedLog log = new RoutedLog(() -> store, 8, 0);
        for (int i = 1; i <= 12; i++) {
            log.record(i % 2 == 0 ? "*" : "#ops", i);
        }
        List<Long> seen = new java.util.ArrayList<>();
        assertThat(log.scanBack(12, 9, e -> seen.add(e.position()))).isTrue();
        assertThat(seen).containsExactly(12L, 11L, 10L);
        // Positions 1-4 fell out of the 8 kept: a scan down to 2 cannot reach it.
        seen.clear();
        assertThat(log.scanBack(12, 2, e -> seen.add(e.position()))).isFalse();
        assertThat(seen).containsExactly(12L, 11L, 10L, 9L, 8L, 7L, 6L, 5L);
        // Stopped by the visitor.
        assertThat(log.scanBack(12, 0, e -> e.position() > 11)).isFalse();
        RoutedLog.Entry[] at10 = new RoutedLog.Entry[1];
        log.scanBack(10, 9, e -> {
            at10[0] = e;
            return true;
        });
        assertThat(at10[0]).isEqualTo(new RoutedLog.Entry(10, "*", 10));
    }

    @Test
    void positionsStartAtTheLogsOwnBaseAndNothingBelowItIsItsOwn() {
        long base = 7 * RoutedLog.SPAN;
        RoutedLog log = new RoutedLog(() -> store, 8, base);
        assertThat(log.latest()).isEqualTo(base);
        assertThat(log.record("*", 1)).isEqualTo(base + 1);
        log.record("*", 2);
        assertThat(log.covers(base)).isTrue();
        assertThat(log.covers(base + 2)).isTrue();
        // Another host's offset (a smaller base), the "nothing yet" offset, and one never given.
        assertThat(log.covers(3 * RoutedLog.SPAN + 2)).isFalse();
        assertThat(log.covers(0)).isFalse();
        assertThat(log.covers(base + 3)).isFalse();
        List<Long> seen = new java.util.ArrayList<>();
        assertThat(log.scanBack(base + 2, 0, e -> seen.add(e.position()))).isTrue();
        assertThat(seen).containsExactly(base + 2, base + 1);
        assertThat(Long.toString(new RoutedLog(() -> store).latest())).matches("[0-9]{13,18}");
    }
}
