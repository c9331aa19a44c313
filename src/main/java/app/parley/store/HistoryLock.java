package app.parley.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The {@code <file>.lock} that keeps a second Parley off a history file while {@link SqliteMessageStore} has it open. */
final class HistoryLock {
    /** Holds {@code <file>.lock}, or says who has it. */
    static FileLock lock(Path file) {
        Path path = Path.of(file + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreException(
                    "Cannot open chat history " + file + ": another program (another Parley?) is using it");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException(
                    "Cannot open chat history " + file + ": cannot lock " + path + ": " + e.getMessage(), e);
        }
    }

    static void release(FileLock lock) {
        closeQuietly(lock.channel()); // releases the lock
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // already failing, or closing
            }
        }
    }

    private HistoryLock() {}
}
