package app.parley.store;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MessageStore} in one SQLite file, e.g. {@code try (var store = SqliteMessageStore.open(dir.resolve(
 * "history.db"))) { store.append(batch); }}.
 *
 * <p>Journal mode is WAL with {@code synchronous=NORMAL}: a commit is written to the log (so it survives the
 * process being killed) but not synced; {@link #sync} syncs the log through a descriptor of its own. Together
 * that is what {@code synchronous=FULL} gives, with the caller choosing when to wait for the disk: the host
 * routes a commit first and syncs before it acks.
 *
 * <p>A power cut can lose commits that were never synced, and their sequence numbers may already have been
 * seen by clients. So the file records whether it was closed cleanly; opened after an unclean close, every
 * conversation's numbering skips ahead by {@link #SKIP_AFTER_CRASH}, and no number is given out twice.
 *
 * <p>Checkpoints (copying the log back into the file, with two syncs) would stall the writer for tens of
 * milliseconds every thousand pages if the writer's connection ran them; so it never does. Once {@link #sync}
 * finds the log past {@link #CHECKPOINT_BYTES}, a thread of the store's own runs one on a second connection:
 * in WAL mode a passive checkpoint works alongside the writer.
 *
 * <p>The sequence numbers are cached in memory, which is only right while this is the only writer: a lock
 * file ({@code <file>.lock}) is held while open, and a second Parley on the same file is refused.
 *
 * <p>One connection for reads and writes, whose methods are synchronized (one writer thread plus readers is all
 * the host needs); {@link #sync} is not, and the checkpoint thread has a connection of its own.
 */
public final class SqliteMessageStore implements MessageStore {
    /**
     * How far numbering skips after an unclean close: far more than the commits a host makes between two
     * syncs of the log (one sync takes milliseconds; a host commits at most a few thousand messages a second).
     */
    static final long SKIP_AFTER_CRASH = 1_000_000;
    /** Past this size the log is checkpointed (SQLite's own default is a thousand 4 KiB pages). */
    static final long CHECKPOINT_BYTES = 4L << 20;

    private static final int MAX_LIMIT = 500;
    private static final String COLUMNS =
            "seq, conversation, id, sender_user, client_id, sender_id, sender_name, kind, room, text, time_ms, file";
    /** What reads return: the columns written, then where the row stands in the whole store. */
    private static final String READ_COLUMNS = COLUMNS + ", rowid";

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement byClientId;
    private final PreparedStatement byId;
    private final PreparedStatement maxSeq;
    private final PreparedStatement before;
    private final PreparedStatement after;
    private final PreparedStatement afterPosition;
    private final PreparedStatement maxRowId;
    /** Highest committed seq per conversation, read once from disk, then kept here. */
    private final Map<String, Long> latest = new HashMap<>();
    /** No message is numbered below this (it is above every number handed out before an unclean close). */
    private final long floor;

    private final WalSync wal;
    private final FileLock lock;
    private final Checkpointer checkpointer;
    private boolean closed;

    private SqliteMessageStore(Path file, Connection connection, long floor, FileLock lock) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.floor = floor;
        this.lock = lock;
        this.wal = new WalSync(file);
        this.checkpointer = new Checkpointer(file);
        // RETURNING: the row's position comes back with the insert, with no second statement per message.
        insert = connection.prepareStatement(
                "INSERT INTO messages (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING rowid");
        byId = connection.prepareStatement("SELECT " + READ_COLUMNS + " FROM messages WHERE id = ?");
        byClientId = connection.prepareStatement(
                "SELECT " + READ_COLUMNS + " FROM messages WHERE sender_user = ? AND client_id = ?");
        maxSeq = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM messages WHERE conversation = ?");
        before = connection.prepareStatement("SELECT " + READ_COLUMNS
                + " FROM messages WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
        after = connection.prepareStatement(
                "SELECT " + READ_COLUMNS + " FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT ?");
        afterPosition = connection.prepareStatement(
                "SELECT " + READ_COLUMNS + " FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?");
        maxRowId = connection.prepareStatement("SELECT coalesce(max(rowid), 0) FROM messages");
    }

    /**
     * Opens the history in {@code file}, creating it, its folders and the schema when missing.
     *
     * @throws StoreException when the file is not a Parley history, is damaged, is in use or cannot be written
     */
    public static SqliteMessageStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StoreException("Cannot create the folder for chat history " + absolute + ": " + e, e);
        }
        FileLock lock = HistoryLock.lock(absolute);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
            SqliteSchema.configure(connection, absolute);
            return new SqliteMessageStore(absolute, connection, OpenMarker.markOpen(connection), lock);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            HistoryLock.release(lock);
            throw e instanceof SQLException sqlFailure ? failure(absolute, "open", sqlFailure) : (RuntimeException) e;
        }
    }

    @Override
    public synchronized List<StoredMessage> append(List<NewMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        // The cache learns this batch's sequences only once the commit succeeded.
        Map<String, Long> batchLatest = new HashMap<>();
        List<StoredMessage> result = new ArrayList<>(messages.size());
        try {
            checkOpen();
            connection.setAutoCommit(false);
            try {
                for (NewMessage message : messages) {
                    // The lookup runs inside the transaction, so it also finds a first copy earlier in this batch.
                    StoredMessage earlier = message.senderUser() == null || message.clientId() == null
                            ? null
                            : read(byClientId, message.senderUser(), message.clientId()).stream()
                                    .findFirst()
                                    .orElse(null);
                    result.add(earlier != null ? earlier : insert(message, batchLatest));
                }
                connection.commit();
                latest.putAll(batchLatest);
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(file, "write", e);
        }
        return result;
    }

    private StoredMessage insert(NewMessage message, Map<String, Long> batchLatest) throws SQLException {
        Long inBatch = batchLatest.get(message.conversation());
        long seq = Math.max(floor, (inBatch != null ? inBatch : latest(message.conversation())) + 1);
        batchLatest.put(message.conversation(), seq);
        // What a later read will return: the time at millisecond precision.
        NewMessage stored = new NewMessage(
                message.conversation(),
                message.id(),
                message.senderUser(),
                message.clientId(),
                message.senderId(),
                message.senderName(),
                message.kind(),
                message.room(),
                message.text(),
                Instant.ofEpochMilli(message.time().toEpochMilli()),
                message.file());
        bind(
                insert,
                seq,
                stored.conversation(),
                stored.id(),
                stored.senderUser(),
                stored.clientId(),
                stored.senderId(),
                stored.senderName(),
                stored.kind(),
                stored.room(),
                stored.text(),
                stored.time().toEpochMilli(),
                stored.file());
        long position;
        try (ResultSet row = insert.executeQuery()) {
            position = row.next() ? row.getLong(1) : 0;
        }
        return new StoredMessage(seq, stored, position);
    }

    @Override
    public synchronized List<StoredMessage> before(String conversation, long beforeSeq, int limit) {
        List<StoredMessage> newestFirst = page(before, conversation, beforeSeq, limit);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public synchronized java.util.Optional<StoredMessage> byId(String id) {
        checkOpen();
        try {
            return read(byId, id).stream().findFirst();
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    @Override
    public synchronized List<StoredMessage> after(String conversation, long afterSeq, int limit) {
        return page(after, conversation, afterSeq, limit);
    }

    @Override
    public synchronized List<StoredMessage> afterPosition(long position, int limit) {
        try {
            checkOpen();
            return read(afterPosition, position, Math.max(1, Math.min(MAX_LIMIT, limit)));
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    @Override
    public synchronized long latestPosition() {
        try {
            checkOpen();
            try (ResultSet row = maxRowId.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    private List<StoredMessage> page(PreparedStatement query, String conversation, long seq, int limit) {
        try {
            checkOpen();
            return read(query, conversation, seq, Math.max(1, Math.min(MAX_LIMIT, limit)));
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    @Override
    public synchronized List<String> conversations(String prefix) {
        try {
            checkOpen();
            // substr, not LIKE: a prefix may hold % or _, which LIKE would read as wildcards.
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT DISTINCT conversation FROM messages WHERE substr(conversation, 1, ?) = ?")) {
                query.setInt(1, prefix.length());
                query.setString(2, prefix);
                List<String> keys = new java.util.ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
                return keys;
            }
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    @Override
    public synchronized void setMember(String user, String room, boolean member) {
        try {
            checkOpen();
            try (PreparedStatement change = connection.prepareStatement(
                    member
                            ? "INSERT OR IGNORE INTO memberships (user, room) VALUES (?, ?)"
                            : "DELETE FROM memberships WHERE user = ? AND room = ?")) {
                bind(change, user, room);
                change.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure(file, "write", e);
        }
    }

    @Override
    public synchronized java.util.Set<String> roomsOf(String user) {
        try {
            checkOpen();
            try (PreparedStatement query = connection.prepareStatement("SELECT room FROM memberships WHERE user = ?")) {
                query.setString(1, user);
                java.util.Set<String> rooms = new java.util.LinkedHashSet<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        rooms.add(rows.getString(1));
                    }
                }
                return rooms;
            }
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    @Override
    public synchronized long latestSeq(String conversation) {
        try {
            checkOpen();
            return latest(conversation);
        } catch (SQLException e) {
            throw failure(file, "read", e);
        }
    }

    private long latest(String conversation) throws SQLException {
        Long cached = latest.get(conversation);
        if (cached != null) {
            return cached;
        }
        bind(maxSeq, conversation);
        try (ResultSet row = maxSeq.executeQuery()) {
            long seq = row.next() ? row.getLong(1) : 0;
            latest.put(conversation, seq);
            return seq;
        }
    }

    /** Not synchronized: the disk flush must not hold back {@link #append} or the reads. */
    @Override
    public void sync() {
        long logBytes;
        try {
            logBytes = wal.sync();
        } catch (IOException e) {
            throw new StoreException("Cannot write chat history " + file + " to the disk: " + e.getMessage(), e);
        }
        if (logBytes > CHECKPOINT_BYTES) {
            checkpointer.request();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        checkpointer.stop();
        try {
            try (Statement sql = connection.createStatement()) {
                OpenMarker.writeStateSynced(connection, sql, Map.of("open", 0L));
            } finally {
                wal.close();
                checkpointer.close();
                connection.close(); // the last connection: checkpoints the log and removes it
                HistoryLock.release(lock);
            }
        } catch (SQLException e) {
            throw failure(file, "close", e);
        } catch (IOException e) {
            throw new StoreException("Cannot close chat history " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("Chat history " + file + " is already closed");
        }
    }

    private static List<StoredMessage> read(PreparedStatement query, Object... parameters) throws SQLException {
        bind(query, parameters);
        List<StoredMessage> rows = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(new StoredMessage(
                        row.getLong(1),
                        new NewMessage(
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.getString(5),
                                row.getString(6),
                                row.getString(7),
                                row.getString(8),
                                row.getString(9),
                                row.getString(10),
                                Instant.ofEpochMilli(row.getLong(11)),
                                row.getString(12)),
                        row.getLong(13)));
            }
        }
        return rows;
    }

    static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    /** SQLite's result codes, said in words a person can act on. */
    static StoreException failure(Path file, String action, SQLException e) {
        String why = switch (e.getErrorCode() & 0xff) { // the primary code, without SQLite's extended bits
            case 11, 26 -> "it is not a Parley history or it is damaged";
            case 5, 6 -> "another program (another Parley?) is using it";
            case 3, 8, 14 -> "the file or its folder cannot be written; check the permissions";
            case 13 -> "the disk is full";
            default -> e.getMessage();
        };
        return new StoreException("Cannot " + action + " chat history " + file + ": " + why, e);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing with a better message
            }
        }
    }
}
