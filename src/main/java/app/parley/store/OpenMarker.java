package app.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** The history file's record of whether it was closed cleanly, and the numbering floor that follows from it. */
final class OpenMarker {
    /**
     * Records (synced) that the file is open. When it was already marked open, the last close was unclean:
     * the numbering skips ahead past anything a lost commit may have handed out.
     *
     * @return the lowest seq a new message may get
     */
    static long markOpen(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            long floor = stateValue(sql, "seq_floor");
            if (stateValue(sql, "open") == 1) {
                try (ResultSet row = sql.executeQuery("SELECT coalesce(max(seq), 0) FROM messages")) {
                    floor = Math.max(floor, (row.next() ? row.getLong(1) : 0) + SqliteMessageStore.SKIP_AFTER_CRASH);
                }
            }
            writeStateSynced(connection, sql, Map.of("open", 1L, "seq_floor", floor));
            return floor;
        }
    }

    private static long stateValue(Statement sql, String key) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT value FROM state WHERE key = '" + key + "'")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /** One transaction, synced before it returns (the rare writes whose loss would matter). */
    static void writeStateSynced(Connection connection, Statement sql, Map<String, Long> values) throws SQLException {
        sql.execute("PRAGMA synchronous = FULL");
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement put = connection.prepareStatement(
                    "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                for (Map.Entry<String, Long> entry : values.entrySet()) {
                    SqliteMessageStore.bind(put, entry.getKey(), entry.getValue());
                    put.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } finally {
            sql.execute("PRAGMA synchronous = NORMAL");
        }
    }

    private OpenMarker() {}
}
