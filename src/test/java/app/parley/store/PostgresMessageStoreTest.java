package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MessageStoreContract} on a real PostgreSQL, plus what only a shared database must do. */
class PostgresMessageStoreTest extends MessageStoreContract {
    static PostgresServer server;

    PostgresTarget target;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    void freshLocation() throws Exception {
        target = server.freshDatabase();
    }

    @Override
    MessageStore openStore() {
        return PostgresMessageStore.open(target);
    }

    @Test
    void twoHostsAppendingToOneConversationAtOnceGetDistinctIncreasingSeqs() throws Exception {
        int rounds = 40;
        int perBatch = 5;
        try (MessageStore other = PostgresMessageStore.open(target)) {
            List<MessageStore> hosts = List.of(store, other);
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<StoredMessage>>> results = new ArrayList<>();
                for (int h = 0; h < 2; h++) {
                    MessageStore host = hosts.get(h);
                    String user = "host" + h;
                    results.add(threads.submit(() -> {
                        List<StoredMessage> mine = new ArrayList<>();
                        for (int round = 0; round < rounds; round++) {
                            together.await(10, TimeUnit.SECONDS);
                            List<NewMessage> batch = new ArrayList<>();
                            for (int i = 0; i < perBatch; i++) {
                                // two conversations in opposite orders: their rows are locked in one order all the same
                                String conversation =
                                        (i + round + (user.equals("host0") ? 0 : 1)) % 2 == 0 ? "#a" : "#b";
                                batch.add(message(conversation, user, user + "-" + round + "-" + i, "x"));
                            }
                            mine.addAll(host.append(batch));
                        }
                        return mine;
                    }));
                }
                List<StoredMessage> all = new ArrayList<>();
                for (Future<List<StoredMessage>> result : results) {
                    List<StoredMessage> mine = result.get(120, TimeUnit.SECONDS);
                    Map<String, Long> last = new HashMap<>();
                    for (StoredMessage stored : mine) { // each host's own numbers rise in its own order
                        String conversation = stored.message().conversation();
                        assertThat(stored.seq()).isGreaterThan(last.getOrDefault(conversation, 0L));
                        last.put(conversation, stored.seq());
                    }
                    all.addAll(mine);
                }
                assertThat(all).hasSize(2 * rounds * perBatch);
                for (String conversation : List.of("#a", "#b")) {
                    List<Long> numbers = all.stream()
                            .filter(s -> s.message().conversation().equals(conversation))
                            .map(StoredMessage::seq)
                            .sorted()
                            .toList();
                    // distinct and with no gaps: 1..n, as stored
                    assertThat(new HashSet<>(numbers)).hasSize(numbers.size());
                    assertThat(numbers.get(numbers.size() - 1)).isEqualTo((long) numbers.size());
                    assertThat(store.latestSeq(conversation)).isEqualTo(numbers.size());
                    assertThat(seqs(other.after(conversation, 0, 500))).isEqualTo(numbers);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void theSameClientIdSentToTwoHostsAtOnceIsStoredOnce() throws Exception {
        try (MessageStore other = PostgresMessageStore.open(target)) {
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 30; round++) {
                    String cid = "retry-" + round;
                    CyclicBarrier together = new CyclicBarrier(2);
                    Future<StoredMessage> first = threads.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return store.append(List.of(message("#a", "ann", cid, "hi")))
                                .get(0);
                    });
                    Future<StoredMessage> second = threads.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return other.append(List.of(message("#a", "ann", cid, "hi")))
                                .get(0);
                    });
                    StoredMessage a = first.get(30, TimeUnit.SECONDS);
                    StoredMessage b = second.get(30, TimeUnit.SECONDS);
                    assertThat(a).isEqualTo(b);
                    assertThat(a.seq()).isEqualTo(round + 1L);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(store.latestSeq("#a")).isEqualTo(30);
            assertThat(other.after("#a", 0, 100)).hasSize(30);
        }
    }

    @Test
    void aNulCharacterAPeerSentFailsNeitherItsMessageNorTheOthersInTheBatch() {
        List<StoredMessage> stored = store.append(List.of(
                message("#a", "ann", "c1", "fine"),
                message("#a", "bob", "c2", "a\u0000b"),
                message("#a", "cat", "c3", "fine too")));

        assertThat(seqs(stored)).containsExactly(1L, 2L, 3L);
        assertThat(stored.get(1).message().text()).isEqualTo("a\uFFFDb");
        assertThat(store.after("#a", 0, 10)).isEqualTo(stored); // what the host routes is what is kept
        assertThat(store.append(List.of(message("#a", "bob", "c2", "a\u0000b"))))
                .isEqualTo(List.of(stored.get(1)));
    }

    @Test
    void aFailedBatchIsExplainedWithoutTheTextsInIt() throws Exception {
        NewMessage first = message("#a", "ann", "c1", "first");
        store.append(List.of(first));
        // a rule of the database's that refuses the row: PostgreSQL's own report of it lists the row's values
        try (Connection admin = connect(target);
                Statement sql = admin.createStatement()) {
            sql.execute("ALTER TABLE messages ADD CONSTRAINT nothing_secret CHECK (text NOT LIKE '%secret%')");
        }
        NewMessage refused = new NewMessage(
                "#a", "m-refused", "bob", "c2", null, "Bob", "room", "a", "bob's secret words", Instant.now());

        assertThatThrownBy(() -> store.append(List.of(message("#a", "cat", "c3", "fine"), refused)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("nothing_secret")
                .hasMessageNotContaining("secret words")
                .hasMessageNotContaining("bob");
        assertThat(store.latestSeq("#a"))
                .as("nothing of the failed batch is kept")
                .isEqualTo(1);
    }

    @Test
    void anAppendAnswersWhatAnotherHostStoredBeforeItPastWhatTheCallerKnew() {
        try (MessageStore other = PostgresMessageStore.open(target)) {
            store.append(List.of(message("#a", "ann", "a1", "one")));
            other.append(List.of(message("#a", "bob", "b1", "two"), message("#b", "bob", "b2", "elsewhere")));
            other.append(List.of(message("#a", "bob", "b3", "three")));

            // This host delivered #a up to 1: "two" and "three" are the other's, before its own "four".
            MessageStore.Appended appended =
                    store.append(List.of(message("#a", "ann", "a4", "four")), Map.of("#a", 1L, "#b", 0L));

            assertThat(seqs(appended.stored())).containsExactly(4L);
            assertThat(appended.storedBefore())
                    .as("only the batch's conversations, only past what was known, never the batch's own")
                    .extracting(m -> m.seq() + " " + m.message().text())
                    .containsExactly("2 two", "3 three");
            assertThat(appended.storedBefore().get(0).message())
                    .isEqualTo(other.after("#a", 1, 1).get(0).message());
            assertThat(store.append(List.of(message("#a", "ann", "a5", "five")), Map.of("#a", 4L))
                            .storedBefore())
                    .as("nothing new since")
                    .isEmpty();
            assertThat(store.append(List.of(message("#a", "ann", "a6", "six"))))
                    .as("the plain append answers as before")
                    .extracting(StoredMessage::seq)
                    .containsExactly(6L);

            List<NewMessage> many = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                many.add(message("#c", "bob", "many-" + i, "m" + i));
            }
            other.append(many);
            NewMessage again = message("#c", "bob", "many-69", "m69"); // a repeat: answered, never "before"
            MessageStore.Appended afterMany =
                    store.append(List.of(again, message("#c", "ann", "c1", "after them")), Map.of("#c", 0L));
            assertThat(seqs(afterMany.stored())).containsExactly(70L, 71L);
            assertThat(seqs(afterMany.storedBefore()))
                    .as("the oldest 64 past what was known")
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 64)
                            .boxed()
                            .toList());
        }
    }

    @Test
    void anAppendRepeatedAfterItsAnswerWasLostStoresNothingTwice() {
        // a message without client id, as the tutorial's clients send: only its id says it is the same
        NewMessage anonymous =
                new NewMessage("#a", "m-once", null, null, "sock1", "Ann", "room", "a", "hello", Instant.now());
        NewMessage other = message("#a", "bob", "c2", "next");
        List<StoredMessage> first = store.append(List.of(anonymous));

        List<StoredMessage> again = store.append(List.of(anonymous, other));

        assertThat(again.get(0)).isEqualTo(first.get(0));
        assertThat(seqs(again)).containsExactly(1L, 2L);
        assertThat(store.after("#a", 0, 10)).extracting(m -> m.message().id()).containsExactly("m-once", other.id());
    }

    @Test
    void aDatabaseOfTheFirstSchemaIsMigrated() throws Exception {
        store.close();
        store = null;
        PostgresTarget old = server.freshDatabase();
        try (Connection connection = connect(old)) {
            PostgresSchema.migrate(connection, old, 1);
            connection
                    .createStatement()
                    .execute(
                            "INSERT INTO messages VALUES ('#a', 1, 'id-1', 'ann', 'c1', 's', 'Ann', 'room', 'a', 'hi', 1),"
                                    + " ('#a', 2, 'id-2', 'ann', NULL, 's', 'Ann', 'room', 'a', 'again', 2)");
            assertThat(PostgresSchema.version(connection)).isEqualTo(1);
        }

        try (MessageStore migrated = PostgresMessageStore.open(old)) {
            assertThat(migrated.after("#a", 0, 10))
                    .extracting(m -> m.message().text())
                    .containsExactly("hi", "again");
            assertThat(migrated.latestSeq("#a")).isEqualTo(2);
            assertThat(migrated.conversations("#")).containsExactly("#a");
            assertThat(migrated.append(List.of(message("#a", "ann", "c1", "hi")))
                            .get(0)
                            .seq())
                    .isEqualTo(1);
            assertThat(migrated.append(List.of(message("#a", "next"))).get(0).seq())
                    .isEqualTo(3);
        }
        try (Connection connection = connect(old)) {
            assertThat(PostgresSchema.version(connection)).isEqualTo(PostgresSchema.VERSION);
        }
    }

    @Test
    void aDatabaseANewerParleyMigratedIsRefused() throws Exception {
        server.sql(
                target.database(),
                "INSERT INTO schema_version (version) VALUES (" + (PostgresSchema.VERSION + 1) + ")");

        assertThatThrownBy(() -> PostgresMessageStore.open(target))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("a newer Parley migrated it to schema version " + (PostgresSchema.VERSION + 1))
                .hasMessageContaining(target.database());
        assertThat(store.latestSeq("#a")).isZero(); // the open store is not harmed
    }

    @Test
    void anotherProgramsDatabaseIsRefused() throws Exception {
        PostgresTarget foreign = server.freshDatabase();
        server.sql(foreign.database(), "CREATE TABLE messages (note text)");
        server.sql(foreign.database(), "ALTER TABLE messages OWNER TO " + PostgresServer.TRUSTED);

        assertThatThrownBy(() -> PostgresMessageStore.open(foreign))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("table messages that Parley did not make");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        PostgresTarget missing =
                new PostgresTarget("127.0.0.1", server.port(), "no_such_db", PostgresServer.TRUSTED, "disable");

        assertThatThrownBy(() -> PostgresMessageStore.open(missing))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("the database no_such_db does not exist");
    }

    @Test
    void thePasswordComesFromThePasswordFileAndAWrongOneIsSaidSo(@TempDir Path home) throws Exception {
        PostgresTarget guarded = server.freshDatabase(PostgresServer.WITH_PASSWORD);
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(
                pgpass,
                "# host:port:database:user:password\n" + "127.0.0.1:" + server.port() + ":other:*:wrong\n"
                        + "127.0.0.1:*:*:" + PostgresServer.WITH_PASSWORD + ":"
                        + PostgresServer.PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        Optional<String> password = PgPass.password(guarded, Map.of(), home);
        assertThat(password).contains(PostgresServer.PASSWORD);
        try (MessageStore guardedStore = PostgresMessageStore.open(guarded, password)) {
            assertThat(seqs(guardedStore.append(List.of(message("#a", "hi"))))).containsExactly(1L);
        }
        assertThatThrownBy(() -> PostgresMessageStore.open(guarded, Optional.of("wrong")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("PostgreSQL refused user " + PostgresServer.WITH_PASSWORD)
                .hasMessageContaining("PGPASSWORD or ~/.pgpass");
        assertThatThrownBy(() -> PostgresMessageStore.open(guarded, Optional.empty()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no password was provided")
                .hasMessageContaining("PGPASSWORD or ~/.pgpass");
    }

    @Test
    void appendsFailWhilePostgresIsDownAndWorkOnceItIsBack() throws Exception {
        StoredMessage before =
                store.append(List.of(message("#a", "ann", "c0", "before"))).get(0);
        server.stop();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.append(List.of(message("#a", "ann", "c1", "during"))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("Cannot write chat history in the PostgreSQL database " + target.database());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("fails within the connection wait, not a socket timeout")
                    .isLessThan(PostgresMessageStore.CONNECTION_WAIT_MS * 4);
            assertThatThrownBy(() -> store.after("#a", 0, 10)).isInstanceOf(StoreException.class);
        } finally {
            server.begin();
        }
        // the sender tries again with the same client id, and it is stored once
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StoredMessage during = null;
        while (during == null && System.nanoTime() < until) {
            try {
                during = store.append(List.of(message("#a", "ann", "c1", "during")))
                        .get(0);
            } catch (StoreException e) {
                Thread.sleep(200);
            }
        }
        assertThat(during).isNotNull();
        assertThat(during.seq()).isEqualTo(2);
        assertThat(store.append(List.of(message("#a", "ann", "c1", "during"))).get(0))
                .isEqualTo(during);
        assertThat(store.after("#a", 0, 10)).containsExactly(before, during);
    }

    @Test
    void thePoolReplacesConnectionsCutByARestartWithoutFailingASend() throws Exception {
        store.append(List.of(message("#a", "before")));
        server.stop();
        server.begin();

        // the pooled connection died with the old server; the append gets a new one
        assertThat(seqs(store.append(List.of(message("#a", "after the restart")))))
                .containsExactly(2L);
    }

    @Test
    void everyConnectionCommitsDurablyEvenWhereTheDatabaseSaysOtherwise() throws Exception {
        server.sql("postgres", "ALTER DATABASE " + target.database() + " SET synchronous_commit = off");
        try (var pool = new com.zaxxer.hikari.HikariDataSource(
                        PostgresMessageStore.poolConfig(target, Optional.empty()));
                Connection connection = pool.getConnection();
                var row = connection.createStatement().executeQuery("SHOW synchronous_commit")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("on");
        }
        try (Connection plain = connect(target);
                var row = plain.createStatement().executeQuery("SHOW synchronous_commit")) {
            row.next();
            assertThat(row.getString(1))
                    .as("what a connection without the store's setting gets")
                    .isEqualTo("off");
        }
        store.append(List.of(message("#a", "x")));
        store.sync(); // nothing left to do, and no error
    }

    private static Connection connect(PostgresTarget target) throws Exception {
        return DriverManager.getConnection(target.jdbcUrl() + "?sslmode=disable", target.user(), "");
    }
}
