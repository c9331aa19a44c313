package app.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link MessageStore} in a PostgreSQL database that several hosts may share, e.g.
 * {@code PostgresMessageStore.open(PostgresTarget.parse("postgresql://db:5432/parley?user=parley"))}.
 *
 * <p>Several writers at once: each conversation has a row in {@code conversations} holding its
 * highest seq. An append is one call of the database function {@code parley_append}
 * ({@link PostgresSchema}), committed as it returns. It raises that row by the number of new
 * messages ({@code INSERT … ON CONFLICT DO UPDATE … RETURNING}), which locks the row until the
 * commit, so a second host appending to the same conversation waits and then numbers on from
 * there: seqs follow commit order, and a failed append gives its numbers back (no gaps). Rows are
 * locked in one statement in the database's order of keys, so two batches cannot wait on each
 * other in a circle. The same (user, client id) sent to two hosts at once is caught by the unique
 * index: the loser calls again and then finds the winner's copy. A message already stored under
 * its id is answered with that copy, so a call whose answer was lost is run again safely. Nothing
 * is cached in memory, since another host may write.
 *
 * <p>Durability: a commit returns once PostgreSQL has flushed its write-ahead log (with
 * {@code synchronous_commit} on, which every connection of this store makes sure of), so what
 * {@link #append} returned survives a power cut of either machine, and {@link #sync} has nothing
 * left to do. For the same reason no numbering skips ahead after a crash, as SQLite's must.
 *
 * <p>Every call goes over the network and may wait for PostgreSQL (at most
 * {@link #CONNECTION_WAIT_MS} for a connection, {@link #SOCKET_TIMEOUT_S} for an answer): the
 * host calls it from its history thread only, never from an I/O thread. When PostgreSQL is down
 * or restarting, calls throw {@link StoreException} saying so, and the pool connects again once
 * it is back.
 */
public final class PostgresMessageStore implements MessageStore {
    /** How long a call waits for a connection (PostgreSQL down: every append fails after this). */
    static final long CONNECTION_WAIT_MS = 3_000;
    /** A query unanswered this long is given up (a vanished server would otherwise hold the history thread forever). */
    static final int SOCKET_TIMEOUT_S = 30;
    /** A lost race (deadlock, same client id on two hosts) or a connection that died before the commit: tried again. */
    private static final int ATTEMPTS = 3;

    private static final int MAX_LIMIT = 500;
    private static final String COLUMNS =
            "seq, conversation, id, sender_user, client_id, sender_id, sender_name, kind, room, text, time_ms, file";

    private final PostgresTarget target;
    private final HikariDataSource pool;
    private volatile boolean closed;

    private PostgresMessageStore(PostgresTarget target, HikariDataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    /**
     * Connects, then creates or migrates the schema.
     *
     * @throws StoreException when PostgreSQL cannot be reached or refuses, or the schema is newer
     */
    public static PostgresMessageStore open(PostgresTarget target) {
        return open(target, PgPass.password(target));
    }

    /** With this password (or none), whatever the environment says. */
    static PostgresMessageStore open(PostgresTarget target, Optional<String> password) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(target, password));
        } catch (HikariPool.PoolInitializationException e) {
            throw e.getCause() instanceof SQLException sql
                    ? PostgresFailures.of(target, "open", sql)
                    : new StoreException(
                            "Cannot open chat history in the " + target.describe() + ": " + e.getMessage(), e);
        }
        try (Connection connection = pool.getConnection()) {
            PostgresSchema.migrate(connection, target);
            return new PostgresMessageStore(target, pool);
        } catch (SQLException e) {
            pool.close();
            throw PostgresFailures.of(target, "open", e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static HikariConfig poolConfig(PostgresTarget target, Optional<String> password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-postgresql");
        config.setJdbcUrl(target.jdbcUrl());
        config.setUsername(target.user());
        password.ifPresent(config::setPassword);
        config.addDataSourceProperty("sslmode", target.sslMode());
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_S));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "parley-host");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Acks promise durability: a database whose default is synchronous_commit=off does not
        // keep that promise, so this store's sessions turn it on (a stricter setting is kept).
        config.setConnectionInitSql("DO $$ BEGIN IF current_setting('synchronous_commit') = 'off'"
                + " THEN SET synchronous_commit = on; END IF; END $$");
        // The history thread, the files thread (FileCopies) and a check at most; one spare for a
        // connection being replaced.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_WAIT_MS);
        config.setValidationTimeout(2_000);
        config.setKeepaliveTime(60_000);
        // One try at open: a wrong password or a missing database is said at once (PostgresFailures'
        // words), rather than after the connection wait.
        config.setInitializationFailTimeout(1);
        return config;
    }

    @Override
    public List<StoredMessage> append(List<NewMessage> messages) {
        return append(messages, Map.of()).stored();
    }

    @Override
    public Appended append(List<NewMessage> messages, Map<String, Long> knownUpTo) {
        if (messages.isEmpty()) {
            return new Appended(List.of(), List.of());
        }
        checkOpen();
        for (int attempt = 1; ; attempt++) {
            Connection connection = connection("write");
            long started = System.nanoTime();
            try (connection) {
                return new Append(connection, messages, knownUpTo).run();
            } catch (SQLException e) {
                // Running the call again stores nothing twice: a message already stored (its
                // answer lost with the connection) is found by its id. A connection that fails at
                // once was cut by a restart and the pool replaces it; one that took long timed out,
                // and another try would hold the history thread as long.
                boolean cutAtOnce =
                        PostgresFailures.unreachable(e) && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1);
                boolean again = PostgresFailures.lostRace(e) || cutAtOnce;
                if (!again || attempt >= ATTEMPTS || closed) {
                    throw failedWrite(e);
                }
            }
        }
    }

    /** A write that failed on its way may have been made all the same: the reason says so. */
    private StoreException failedWrite(SQLException e) {
        StoreException failure = PostgresFailures.of(target, "write", e);
        if (!PostgresFailures.unreachable(e)) {
            return failure;
        }
        return new StoreException(
                failure.getMessage() + " (the messages may or may not be stored; sent again with the same"
                        + " client id, each is stored once)",
                e);
    }

    @Override
    public List<StoredMessage> before(String conversation, long beforeSeq, int limit) {
        List<StoredMessage> newestFirst = read(
                "SELECT " + COLUMNS + " FROM messages WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                conversation,
                beforeSeq,
                clamp(limit));
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public List<StoredMessage> after(String conversation, long afterSeq, int limit) {
        return read(
                "SELECT " + COLUMNS + " FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT ?",
                conversation,
                afterSeq,
                clamp(limit));
    }

    @Override
    public Optional<StoredMessage> byId(String id) {
        return read("SELECT " + COLUMNS + " FROM messages WHERE id = ?", id).stream()
                .findFirst();
    }

    @Override
    public long latestSeq(String conversation) {
        List<String> found = strings("SELECT latest_seq::text FROM conversations WHERE conversation = ?", conversation);
        return found.isEmpty() ? 0 : Long.parseLong(found.get(0));
    }

    @Override
    public java.util.Map<String, Long> latestSeqs() {
        java.util.Map<String, Long> seqs = new java.util.HashMap<>();
        // One row per conversation; the seq is the last word (a direct conversation's key holds a space).
        for (String row : strings("SELECT conversation || ' ' || latest_seq FROM conversations")) {
            int space = row.lastIndexOf(' ');
            seqs.put(row.substring(0, space), Long.parseLong(row.substring(space + 1)));
        }
        return seqs;
    }

    @Override
    public List<String> conversations(String prefix) {
        // starts_with, not LIKE: a prefix may hold % or _, which LIKE would read as wildcards.
        return strings("SELECT conversation FROM conversations WHERE starts_with(conversation, ?)", prefix);
    }

    @Override
    public void setMember(String user, String room, boolean member) {
        update(
                member
                        ? "INSERT INTO memberships (member, room) VALUES (?, ?) ON CONFLICT DO NOTHING"
                        : "DELETE FROM memberships WHERE member = ? AND room = ?",
                user,
                room);
    }

    @Override
    public Set<String> roomsOf(String user) {
        return new java.util.LinkedHashSet<>(strings("SELECT room FROM memberships WHERE member = ?", user));
    }

    /** Nothing to do: a commit has returned only once PostgreSQL flushed it (see the class comment). */
    @Override
    public void sync() {}

    /** Shared files' bytes, in this database, for every host of the cluster. */
    @Override
    public Optional<FileCopies> fileCopies() {
        return Optional.of(new PostgresFileCopies(target, pool));
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresMessageStore[" + target + "]";
    }

    private static int clamp(int limit) {
        return Math.max(1, Math.min(MAX_LIMIT, limit));
    }

    private Connection connection(String action) {
        checkOpen();
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw PostgresFailures.of(target, action, e);
        }
    }

    private List<StoredMessage> read(String sql, Object... parameters) {
        try (Connection connection = connection("read");
                PreparedStatement query = connection.prepareStatement(sql)) {
            return rows(query, parameters);
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "read", e);
        }
    }

    private List<String> strings(String sql, Object... parameters) {
        try (Connection connection = connection("read");
                PreparedStatement query = connection.prepareStatement(sql)) {
            SqliteMessageStore.bind(query, parameters);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "read", e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = connection("write");
                PreparedStatement change = connection.prepareStatement(sql)) {
            SqliteMessageStore.bind(change, parameters);
            change.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "write", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("Chat history in the " + target.describe() + " is already closed");
        }
    }

    static List<StoredMessage> rows(PreparedStatement query, Object... parameters) throws SQLException {
        SqliteMessageStore.bind(query, parameters);
        List<StoredMessage> rows = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(stored(row, 1));
            }
        }
        return rows;
    }

    /** The message in {@code row}'s columns {@link #COLUMNS}, in their order, from column {@code first} on. */
    private static StoredMessage stored(ResultSet row, int first) throws SQLException {
        return new StoredMessage(
                row.getLong(first),
                new NewMessage(
                        row.getString(first + 1),
                        row.getString(first + 2),
                        row.getString(first + 3),
                        row.getString(first + 4),
                        row.getString(first + 5),
                        row.getString(first + 6),
                        row.getString(first + 7),
                        row.getString(first + 8),
                        row.getString(first + 9),
                        Instant.ofEpochMilli(row.getLong(first + 10)),
                        row.getString(first + 11)));
    }

    /**
     * One append in one call of {@code parley_append} (PostgresSchema), committed as it returns:
     * earlier copies found, numbers taken, new messages inserted, all in one round trip.
     */
    private static final class Append {
        private final Connection connection;
        private final List<NewMessage> messages;
        private final Map<String, Long> knownUpTo;

        Append(Connection connection, List<NewMessage> messages, Map<String, Long> knownUpTo) {
            this.connection = connection;
            this.messages =
                    messages.stream().map(PostgresMessageStore::storable).toList();
            this.knownUpTo = knownUpTo;
        }

        Appended run() throws SQLException {
            // A message repeating an earlier one of the batch (same user and client id) takes its
            // answer; the function gets each key once, as a second insert of it would fail.
            int[] firstOf = new int[messages.size()];
            Map<List<String>, Integer> firstByKey = new HashMap<>();
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                List<String> key = key(messages.get(i));
                int index = i;
                firstOf[i] = key == null ? i : firstByKey.computeIfAbsent(key, k -> index);
                if (firstOf[i] == i) {
                    sent.add(i);
                }
            }
            StoredMessage[] result = new StoredMessage[messages.size()];
            List<StoredMessage> before = new ArrayList<>();
            connection.setAutoCommit(true);
            try (PreparedStatement call = connection.prepareStatement("SELECT * FROM parley_append_after(?::text[],"
                    + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                    + " ?::bigint[], ?::text[], ?::text[], ?::bigint[])")) {
                bindColumns(call, sent);
                bindKnown(call);
                try (ResultSet row = call.executeQuery()) {
                    while (row.next()) {
                        // o_idx (0: stored before, by another host), o_earlier, then the stored
                        // copy's columns in COLUMNS' order
                        int idx = row.getInt(1);
                        if (idx == 0) {
                            before.add(stored(row, 3));
                            continue;
                        }
                        int index = sent.get(idx - 1);
                        result[index] = row.getBoolean(2)
                                ? stored(row, 3)
                                : new StoredMessage(row.getLong(3), messages.get(index));
                    }
                }
            }
            for (int i = 0; i < result.length; i++) {
                if (result[i] == null) {
                    result[i] = result[firstOf[i]];
                }
                if (result[i] == null) {
                    throw new SQLException("parley_append gave no answer for message " + (i + 1) + " of the batch");
                }
            }
            return new Appended(List.of(result), before);
        }

        /** {@link #knownUpTo}, for the batch's conversations only, as the function's last two arrays. */
        private void bindKnown(PreparedStatement call) throws SQLException {
            Map<String, Long> known = new java.util.LinkedHashMap<>();
            if (!knownUpTo.isEmpty()) {
                for (NewMessage m : messages) {
                    Long seq = knownUpTo.get(m.conversation());
                    if (seq != null) {
                        known.put(m.conversation(), seq);
                    }
                }
            }
            call.setArray(12, connection.createArrayOf("text", known.keySet().toArray()));
            call.setArray(13, connection.createArrayOf("int8", known.values().toArray()));
        }

        /** The batch's messages at {@code sent}, column by column, as the function's arrays. */
        private void bindColumns(PreparedStatement call, List<Integer> sent) throws SQLException {
            int n = sent.size();
            String[][] text = new String[10][n];
            Long[] times = new Long[n];
            for (int j = 0; j < n; j++) {
                NewMessage m = messages.get(sent.get(j));
                String[] columns = {
                    m.conversation(),
                    m.id(),
                    m.senderUser(),
                    m.clientId(),
                    m.senderId(),
                    m.senderName(),
                    m.kind(),
                    m.room(),
                    m.text(),
                    m.file()
                };
                for (int c = 0; c < columns.length; c++) {
                    text[c][j] = columns[c];
                }
                times[j] = m.time().toEpochMilli();
            }
            for (int c = 0; c < 9; c++) {
                call.setArray(c + 1, connection.createArrayOf("text", text[c]));
            }
            call.setArray(10, connection.createArrayOf("int8", times));
            call.setArray(11, connection.createArrayOf("text", text[9]));
        }
    }

    /**
     * The message as PostgreSQL can keep it: its text type has no NUL character, which a peer may
     * send and SQLite keeps. Replaced (with U+FFFD) rather than refused, since one such message
     * would fail the whole batch, everyone's messages in it; the caller routes what is returned.
     */
    static NewMessage storable(NewMessage message) {
        return new NewMessage(
                withoutNul(message.conversation()),
                withoutNul(message.id()),
                withoutNul(message.senderUser()),
                withoutNul(message.clientId()),
                withoutNul(message.senderId()),
                withoutNul(message.senderName()),
                withoutNul(message.kind()),
                withoutNul(message.room()),
                withoutNul(message.text()),
                Instant.ofEpochMilli(message.time().toEpochMilli()),
                withoutNul(message.file()));
    }

    private static String withoutNul(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /** The dedupe key of a message, or null when it has none (no sender user or no client id). */
    private static List<String> key(NewMessage message) {
        return message.senderUser() == null || message.clientId() == null
                ? null
                : List.of(message.senderUser(), message.clientId());
    }
}
