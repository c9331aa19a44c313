package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMessageStoreTest extends MessageStoreContract {
    @TempDir
    Path dir;

    Path file;

    @Override
    void freshLocation() {
        file = dir.resolve("nested/history.db");
    }

    @Override
    MessageStore openStore() {
        return SqliteMessageStore.open(file);
    }

    @Test
    void theJournalIsWriteAhead() throws Exception {
        store.close(); // the store holds the file exclusively while open

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet mode = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
        store = SqliteMessageStore.open(file);
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefused() {
        appendTexts("#a", 1);

        assertThatThrownBy(() -> SqliteMessageStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("using it");
    }

    @Test
    void garbageIsNotOpenedAsHistory() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        byte[] bytes = new byte[8192];
        new java.util.Random(42).nextBytes(bytes);
        Files.write(garbage, bytes);

        assertThatThrownBy(() -> SqliteMessageStore.open(garbage))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("not a Parley history");
    }

    @Test
    void anotherProgramsDatabaseIsRefused() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + other)) {
            connection.createStatement().execute("CREATE TABLE notes (text TEXT)");
        }

        assertThatThrownBy(() -> SqliteMessageStore.open(other))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another program");
    }

    /** The files as a killed (or powered-off, once synced) host leaves them: copied while the store is open. */
    private Path crashCopy() throws Exception {
        store.sync();
        Path copy = dir.resolve("crashed/history.db");
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy);
        Files.copy(Path.of(file + "-wal"), Path.of(copy + "-wal"));
        return copy;
    }

    @Test
    void afterAnUncleanCloseNumberingSkipsAheadOnce() throws Exception {
        appendTexts("#a", 3);
        appendTexts("#b", 2);
        Path copy = crashCopy();

        try (SqliteMessageStore crashed = SqliteMessageStore.open(copy)) {
            assertThat(seqs(crashed.after("#a", 0, 10))).containsExactly(1L, 2L, 3L); // committed, so kept
            long next = crashed.append(List.of(message("#a", "after the crash")))
                    .get(0)
                    .seq();
            assertThat(next).isGreaterThanOrEqualTo(3 + SqliteMessageStore.SKIP_AFTER_CRASH);
            assertThat(crashed.append(List.of(message("#b", "b"))).get(0).seq()).isGreaterThanOrEqualTo(next);
            assertThat(crashed.append(List.of(message("#c", "new conversation")))
                            .get(0)
                            .seq())
                    .isGreaterThan(3);
        }
        // closed cleanly this time: the next open numbers on without skipping again
        try (SqliteMessageStore reopened = SqliteMessageStore.open(copy)) {
            long last = reopened.latestSeq("#a");
            assertThat(reopened.append(List.of(message("#a", "later"))).get(0).seq())
                    .isEqualTo(last + 1);
            assertThat(reopened.append(List.of(message("#d", "fresh"))).get(0).seq())
                    .isGreaterThanOrEqualTo(SqliteMessageStore.SKIP_AFTER_CRASH);
        }
    }

    @Test
    void aFileOfTheFirstSchemaIsMigrated() throws Exception {
        store.close();
        Path old = dir.resolve("v1.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old)) {
            var sql = connection.createStatement();
            sql.execute("CREATE TABLE messages (conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL"
                    + " UNIQUE, sender_user TEXT, client_id TEXT, sender_id TEXT, sender_name TEXT, kind TEXT NOT NULL,"
                    + " room TEXT, text TEXT NOT NULL, time_ms INTEGER NOT NULL, PRIMARY KEY (conversation, seq))");
            sql.execute("CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_user, client_id)"
                    + " WHERE client_id IS NOT NULL");
            sql.execute("INSERT INTO messages VALUES ('#a', 1, 'id-1', 'ann', NULL, 's', 'Ann', 'room', 'a', 'hi', 1)");
            sql.execute("PRAGMA application_id = 1347570777"); // "PRLY"
            sql.execute("PRAGMA user_version = 1");
        }

        store = SqliteMessageStore.open(old);

        assertThat(store.after("#a", 0, 10)).extracting(m -> m.message().text()).containsExactly("hi");
        assertThat(store.append(List.of(message("#a", "next"))).get(0).seq()).isEqualTo(2);
    }

    @Test
    void syncRunsAlongsideAppendsFromAnotherThread() throws Exception {
        store.sync(); // nothing written yet: nothing to do, no error
        var syncs = new java.util.concurrent.atomic.AtomicInteger();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread syncer = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    store.sync();
                    syncs.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        syncer.start();
        for (int i = 0; i < 50; i++) {
            appendTexts("#a", 20);
        }
        syncer.join(60_000);

        assertThat(failure.get()).isNull();
        assertThat(syncs.get()).isEqualTo(200);
        assertThat(store.latestSeq("#a")).isEqualTo(1000);
    }

    @Test
    void syncCheckpointsSoTheLogIsCutBack() throws Exception {
        Path log = Path.of(file + "-wal");
        // A flood, one commit of twenty at a time, as a busy host makes them, until the log has
        // outgrown the limit (on a busy machine the checkpoint thread may cut it back meanwhile, so
        // the size is watched after every commit rather than read once at the end).
        int commits = 0;
        long largest = 0;
        while (commits < 600 || (largest <= SqliteMessageStore.CHECKPOINT_BYTES && commits < 6000)) {
            appendTexts("#a", 20);
            commits++;
            largest = Math.max(largest, Files.size(log));
            store.sync();
        }
        assertThat(largest).isGreaterThan(SqliteMessageStore.CHECKPOINT_BYTES);

        // Once the flood stops, the checkpoint catches up and the next commit starts the log over.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Files.size(log) > SqliteMessageStore.CHECKPOINT_BYTES && System.nanoTime() < until) {
            store.sync();
            Thread.sleep(50);
            appendTexts("#b", 1);
        }

        assertThat(Files.size(log))
                .as("the log is cut back after a checkpoint")
                .isLessThanOrEqualTo(SqliteMessageStore.CHECKPOINT_BYTES);
        assertThat(Files.size(file))
                .as("checkpoints moved the log into the file")
                .isGreaterThan(1 << 20);
        assertThat(store.latestSeq("#a")).isEqualTo(20L * commits);
    }
}
