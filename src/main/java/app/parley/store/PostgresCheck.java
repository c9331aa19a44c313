package app.parley.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Whether a PostgreSQL store is ready for hosts ({@code parley-host --check-cluster}): it answers,
 * lets the user in, and its schema is one this Parley can use. Changes nothing: a missing or older
 * schema is made current by the first host that starts.
 *
 * @param ok     whether a host could start on it
 * @param detail what was found, in a line
 */
public record PostgresCheck(boolean ok, String detail) {
    /** Connects once (no pool) and looks. */
    public static PostgresCheck of(PostgresTarget target) {
        Properties properties = new Properties();
        properties.setProperty("user", target.user());
        properties.setProperty("sslmode", target.sslMode());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", "parley-check");
        try {
            PgPass.password(target).ifPresent(password -> properties.setProperty("password", password));
        } catch (StoreException e) {
            return new PostgresCheck(false, e.getMessage());
        }
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), properties);
                Statement sql = connection.createStatement()) {
            String server = single(sql, "SHOW server_version");
            String tls =
                    single(sql, "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)");
            int version = PostgresSchema.version(connection);
            String where = target + ": PostgreSQL " + server + ("t".equals(tls) ? " over TLS" : " without TLS") + ", ";
            if (version > PostgresSchema.VERSION) {
                return new PostgresCheck(
                        false, PostgresSchema.newer(target, version).getMessage());
            }
            if (version == PostgresSchema.VERSION) {
                return new PostgresCheck(true, where + "schema version " + version + " (current)");
            }
            return new PostgresCheck(
                    true,
                    where
                            + (version == 0 ? "no Parley tables yet" : "schema version " + version)
                            + " (the first host to start makes it version " + PostgresSchema.VERSION + ")");
        } catch (SQLException e) {
            return new PostgresCheck(
                    false, PostgresFailures.of(target, "reach", e).getMessage());
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            return row.next() ? row.getString(1) : "";
        }
    }
}
