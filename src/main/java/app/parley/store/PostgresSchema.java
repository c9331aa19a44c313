package app.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of {@link PostgresMessageStore} and the steps that make them, one version each. A
 * database records in {@code schema_version} which steps it has had; opening runs the missing
 * ones in one transaction (PostgreSQL's DDL is transactional, so a failed migration leaves the
 * database as it was), under an advisory lock so that hosts starting together migrate it once.
 * A database a newer Parley migrated is refused rather than misread.
 *
 * <p>Add a step at the end, never change one that was released: databases out there already had it.
 */
final class PostgresSchema {
    /** "PRLY" and "SCHM": the advisory lock every Parley host takes while it migrates. */
    private static final long MIGRATION_LOCK = 0x50524C59_5343484DL;

    /** Step {@code i} takes the schema from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(
            // 1: the log and room memberships (what SQLite's version 3 has)
            List.of(
                    "CREATE TABLE messages (conversation text NOT NULL, seq bigint NOT NULL, id text NOT NULL UNIQUE,"
                            + " sender_user text, client_id text, sender_id text, sender_name text, kind text NOT NULL,"
                            + " room text, text text NOT NULL, time_ms bigint NOT NULL, PRIMARY KEY (conversation, seq))",
                    // a retried send is found by its sender and client id (MessageStore#append)
                    "CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_user, client_id)"
                            + " WHERE client_id IS NOT NULL",
                    "CREATE TABLE memberships (member text NOT NULL, room text NOT NULL, PRIMARY KEY (member, room))"),
            // 2: messages may carry a file (SQLite's version 4)
            List.of("ALTER TABLE messages ADD COLUMN file text"),
            // 3: one row per conversation holding its highest seq: the row that hosts appending to the
            // same conversation lock in turn, so numbers follow commit order with no gaps
            List.of(
                    "CREATE TABLE conversations (conversation text PRIMARY KEY, latest_seq bigint NOT NULL)",
                    "INSERT INTO conversations (conversation, latest_seq)"
                            + " SELECT conversation, max(seq) FROM messages GROUP BY conversation"),
            // 4: shared files' bytes, for every host of a cluster to read (PostgresFileCopies); a
            // files row is written last, in the same transaction, so it means the parts are all there
            List.of(
                    "CREATE TABLE file_parts (sha256 text NOT NULL, part integer NOT NULL, bytes bytea NOT NULL,"
                            + " PRIMARY KEY (sha256, part))",
                    "CREATE TABLE files (sha256 text PRIMARY KEY, size bigint NOT NULL, parts integer NOT NULL,"
                            + " stored_at timestamptz NOT NULL DEFAULT now())"));

    /** The version this Parley writes. */
    static final int VERSION = STEPS.size();

    private PostgresSchema() {}

    /**
     * Brings the database to {@link #VERSION}.
     *
     * @throws StoreException when a newer Parley migrated it, or it holds tables Parley did not make
     * @throws SQLException   when PostgreSQL fails
     */
    static void migrate(Connection connection, PostgresTarget target) throws SQLException {
        migrate(connection, target, VERSION);
    }

    /** Brings the database to {@code wanted} (tests make an older schema with it). */
    static void migrate(Connection connection, PostgresTarget target, int wanted) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            int version = version(connection);
            if (version > VERSION) {
                throw newer(target, version);
            }
            if (version == 0) {
                refuseForeignTables(connection, target);
                sql.execute("CREATE TABLE schema_version (version integer PRIMARY KEY,"
                        + " migrated_at timestamptz NOT NULL DEFAULT now())");
            }
            for (int step = version; step < wanted; step++) {
                for (String statement : STEPS.get(step)) {
                    sql.execute(statement);
                }
                sql.execute("INSERT INTO schema_version (version) VALUES (" + (step + 1) + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The database's schema version: 0 when Parley never created its tables there. */
    static int version(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet exists = sql.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement sql = connection.createStatement();
                ResultSet max = sql.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            max.next();
            return max.getInt(1);
        }
    }

    static StoreException newer(PostgresTarget target, int version) {
        return new StoreException("Cannot use the " + target.describe() + ": a newer Parley migrated it to schema"
                + " version " + version + ", and this one knows up to " + VERSION + ". Run the newer Parley on every"
                + " host that shares it");
    }

    /** A first start in a database that another program already uses would mix its tables with ours. */
    private static void refuseForeignTables(Connection connection, PostgresTarget target) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name FROM unnest(?::text[]) AS name WHERE to_regclass(name) IS NOT NULL")) {
            query.setArray(
                    1, connection.createArrayOf("text", new String[] {"messages", "memberships", "conversations"}));
            try (ResultSet found = query.executeQuery()) {
                if (found.next()) {
                    throw new StoreException("Cannot use the " + target.describe() + ": it has a table "
                            + found.getString(1) + " that Parley did not make. Give Parley a database of its own");
                }
            }
        }
    }
}
