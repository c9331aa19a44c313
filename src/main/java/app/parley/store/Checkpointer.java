package app.parley.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;

/**
 * The thread of a {@link SqliteMessageStore} that checkpoints its log on a second connection, so the writer's
 * connection never stalls on one; in WAL mode a passive checkpoint works alongside the writer.
 */
final class Checkpointer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteMessageStore.class);

    private final Path file;
    /** Used by the checkpoint thread only. */
    private final Connection checkpoints;

    private final Semaphore checkpointWanted = new Semaphore(0);
    private final Thread checkpointer;
    private volatile boolean stopping;

    /** Opens the second connection on {@code file} and starts the thread, which waits for {@link #request}. */
    Checkpointer(Path file) throws SQLException {
        this.file = file;
        this.checkpoints = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement sql = checkpoints.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 2000");
            sql.execute("PRAGMA wal_autocheckpoint = 0");
        }
        checkpointer = new Thread(this::runCheckpoints, "parley-history-checkpoint");
        checkpointer.setDaemon(true);
        checkpointer.start();
    }

    /** Asks for a checkpoint, unless one is asked for already. */
    void request() {
        if (checkpointWanted.availablePermits() == 0) {
            checkpointWanted.release();
        }
    }

    private void runCheckpoints() {
        while (!stopping) {
            try {
                checkpointWanted.acquire();
                checkpointWanted.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping) {
                return;
            }
            try (Statement sql = checkpoints.createStatement()) {
                // PASSIVE: copies what no reader needs, never waits for the writer
                sql.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                // The log is synced, so nothing is at risk: the next sync asks again.
                LOG.warn(
                        "Could not checkpoint chat history {}: {}",
                        file,
                        SqliteMessageStore.failure(file, "write", e).getMessage());
            }
        }
    }

    /** Stops the thread, waiting up to ten seconds for a checkpoint under way; the connection stays open. */
    void stop() {
        stopping = true;
        checkpointWanted.release();
        try {
            checkpointer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the second connection, once {@link #stop} has run. */
    void close() throws SQLException {
        checkpoints.close();
    }
}
