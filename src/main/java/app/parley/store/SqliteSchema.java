package app.parley.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The history file's settings and schema: checked, created or migrated when {@link SqliteMessageStore} opens it. */
final class SqliteSchema {
    /** "PRLY": tells a Parley history from any other SQLite file. */
    private static final int APPLICATION_ID = 0x50524C59;
    /** Raised by each migration; a file from a newer Parley is refused rather than misread. */
    private static final int SCHEMA_VERSION = 4;

    static void configure(Connection connection, Path file) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 2000");
            if (!"wal".equalsIgnoreCase(pragma(sql, "journal_mode = WAL"))) {
                throw new StoreException("Cannot open chat history " + file + ": it refuses write-ahead logging");
            }
            sql.execute("PRAGMA synchronous = NORMAL");
            sql.execute("PRAGMA wal_autocheckpoint = 0"); // the checkpoint thread does it; see the class comment
            // When the writer starts the log over after a checkpoint, it cuts the file back to this size, so
            // the size sync() sees is what was written since.
            sql.execute("PRAGMA journal_size_limit = " + SqliteMessageStore.CHECKPOINT_BYTES / 4);
            int version = Integer.parseInt(pragma(sql, "user_version"));
            boolean empty = "0".equals(pragma(sql, "schema_version")); // no table was ever created
            if (!empty && !String.valueOf(APPLICATION_ID).equals(pragma(sql, "application_id"))) {
                throw new StoreException("Cannot open chat history " + file + ": it is a database of another program");
            }
            if (version > SCHEMA_VERSION) {
                throw new StoreException("Cannot open chat history " + file + ": a newer Parley wrote it");
            }
            if (version < 1) {
                createSchema(connection, sql);
            } else if (version < SCHEMA_VERSION) {
                migrate(connection, sql, version);
            }
        }
    }

    /** Version 1 had no record of clean closes, version 2 no room memberships, version 3 no files. */
    private static void migrate(Connection connection, Statement sql, int version) throws SQLException {
        connection.setAutoCommit(false);
        if (version < 2) {
            sql.execute(STATE_TABLE);
        }
        if (version < 3) {
            sql.execute(MEMBERSHIPS_TABLE);
        }
        sql.execute("ALTER TABLE messages ADD COLUMN file TEXT");
        sql.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static final String STATE_TABLE = "CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)";
    private static final String MEMBERSHIPS_TABLE = "CREATE TABLE memberships (user TEXT NOT NULL, room TEXT NOT NULL,"
            + " PRIMARY KEY (user, room)) WITHOUT ROWID";

    /** One transaction: a crash leaves no half-made schema (and a failed open closes, so rolls back). */
    private static void createSchema(Connection connection, Statement sql) throws SQLException {
        connection.setAutoCommit(false);
        sql.execute(
                "CREATE TABLE messages (conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL"
                        + " UNIQUE, sender_user TEXT, client_id TEXT, sender_id TEXT, sender_name TEXT, kind TEXT NOT NULL,"
                        + " room TEXT, text TEXT NOT NULL, time_ms INTEGER NOT NULL, file TEXT, PRIMARY KEY (conversation, seq))");
        sql.execute("CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_user, client_id)"
                + " WHERE client_id IS NOT NULL");
        sql.execute(STATE_TABLE);
        sql.execute(MEMBERSHIPS_TABLE);
        sql.execute("PRAGMA application_id = " + APPLICATION_ID);
        sql.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static String pragma(Statement sql, String pragma) throws SQLException {
        try (ResultSet row = sql.executeQuery("PRAGMA " + pragma)) {
            return row.next() ? row.getString(1) : "";
        }
    }

    private SqliteSchema() {}
}
