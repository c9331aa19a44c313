package app.parley.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Shared files' bytes in the cluster's PostgreSQL database, next to the history that names them
 * (tables {@code files} and {@code file_parts}, schema step 4): parts of {@link #PART} bytes, so
 * neither writing nor reading a file holds more than one part in memory. A file's {@code files}
 * row is written after its parts, in the same transaction: where the row is, every part is.
 */
final class PostgresFileCopies implements FileCopies {
    /** One row's bytes: far below PostgreSQL's 1 GB field limit, few rows per file. */
    static final int PART = 1024 * 1024;

    private final PostgresTarget target;
    private final DataSource pool;

    PostgresFileCopies(PostgresTarget target, DataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    @Override
    public boolean has(String sha256) {
        try (Connection connection = pool.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM files WHERE sha256 = ?")) {
            query.setString(1, sha256);
            try (ResultSet found = query.executeQuery()) {
                return found.next();
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "read", e);
        }
    }

    @Override
    public List<String> put(String sha256, Path file, long quota) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    // two hosts keeping the same new file write its parts once, in turn
                    lock.setString(1, "parley-file:" + sha256);
                    lock.execute();
                }
                try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM files WHERE sha256 = ?")) {
                    query.setString(1, sha256);
                    try (ResultSet found = query.executeQuery()) {
                        if (found.next()) {
                            connection.rollback();
                            return List.of();
                        }
                    }
                }
                long size = 0;
                int parts = 0;
                try (InputStream in = Files.newInputStream(file);
                        PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO file_parts (sha256, part, bytes) VALUES (?, ?, ?)"
                                        + " ON CONFLICT (sha256, part) DO UPDATE SET bytes = excluded.bytes")) {
                    byte[] part;
                    while ((part = in.readNBytes(PART)).length > 0) {
                        insert.setString(1, sha256);
                        insert.setInt(2, parts++);
                        insert.setBytes(3, part);
                        insert.executeUpdate();
                        size += part.length;
                    }
                }
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO files (sha256, size, parts) VALUES (?, ?, ?)")) {
                    insert.setString(1, sha256);
                    insert.setLong(2, size);
                    insert.setInt(3, parts);
                    insert.executeUpdate();
                }
                List<String> dropped = quota > 0 ? makeRoom(connection, sha256, quota) : List.of();
                connection.commit();
                return dropped;
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "write", e);
        } catch (IOException e) {
            throw new StoreException("Cannot read the shared file to keep it: " + e.getMessage(), e);
        }
    }

    /** In the put's transaction: deletes the oldest other files while all take more than {@code quota}. */
    private static List<String> makeRoom(Connection connection, String keep, long quota) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            // hosts keeping files at the same moment make room in turn, each seeing the other's
            lock.setString(1, "parley-files-quota");
            lock.execute();
        }
        long used;
        try (PreparedStatement sum = connection.prepareStatement("SELECT coalesce(sum(size), 0) FROM files");
                ResultSet total = sum.executeQuery()) {
            total.next();
            used = total.getLong(1);
        }
        List<String> dropped = new ArrayList<>();
        if (used <= quota) {
            return dropped;
        }
        try (PreparedStatement oldest = connection.prepareStatement(
                "SELECT sha256, size FROM files WHERE sha256 <> ? ORDER BY stored_at, sha256")) {
            oldest.setFetchSize(100);
            oldest.setString(1, keep);
            try (ResultSet rows = oldest.executeQuery()) {
                while (used > quota && rows.next()) {
                    dropped.add(rows.getString(1));
                    used -= rows.getLong(2);
                }
            }
        }
        for (String sha256 : dropped) {
            for (String table : new String[] {"file_parts", "files"}) {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM " + table + " WHERE sha256 = ?")) {
                    delete.setString(1, sha256);
                    delete.executeUpdate();
                }
            }
        }
        return dropped;
    }

    @Override
    public boolean copyTo(String sha256, OutputStream out) {
        try (Connection connection = pool.getConnection()) {
            // pgjdbc fetches in batches (not the whole result) only inside a transaction
            connection.setAutoCommit(false);
            try {
                int parts;
                try (PreparedStatement query =
                        connection.prepareStatement("SELECT parts FROM files WHERE sha256 = ?")) {
                    query.setString(1, sha256);
                    try (ResultSet found = query.executeQuery()) {
                        if (!found.next()) {
                            return false;
                        }
                        parts = found.getInt(1);
                    }
                }
                int read = 0;
                try (PreparedStatement query =
                        connection.prepareStatement("SELECT bytes FROM file_parts WHERE sha256 = ? ORDER BY part")) {
                    query.setFetchSize(1);
                    query.setString(1, sha256);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            out.write(rows.getBytes(1));
                            read++;
                        }
                    }
                }
                if (read != parts) {
                    throw new StoreException("The shared file " + sha256 + " has " + read + " of its " + parts
                            + " parts in the " + target.describe());
                }
                return true;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(target, "read", e);
        } catch (IOException e) {
            throw new StoreException("Cannot write a shared file read from PostgreSQL: " + e.getMessage(), e);
        }
    }
}
