package app.parley.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Syncs SQLite's write-ahead log ({@code <file>-wal}) to the disk through a descriptor of its own, so the
 * writer's connection never waits for it. A sync covers every commit written to the log before it started:
 * on Linux an fsync flushes the file, whichever descriptor asks.
 *
 * <p>Should SQLite ever replace the log file, the next sync notices (another file key) and opens the new
 * one; a newly opened log's folder is synced too, so its name survives a power cut.
 */
final class WalSync implements AutoCloseable {
    private final Path wal;
    private FileChannel channel;
    private Object fileKey;

    WalSync(Path database) {
        this.wal = Path.of(database + "-wal");
    }

    /**
     * Blocks until every commit written so far is on the disk.
     *
     * @return the log's size in bytes
     */
    synchronized long sync() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(wal, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return 0; // nothing was ever written to a log (or SQLite folded it into the file and removed it)
        }
        Object key = attributes.fileKey();
        if (channel == null || key == null || !key.equals(fileKey)) {
            close();
            channel = FileChannel.open(wal, StandardOpenOption.WRITE);
            fileKey = key;
            try (FileChannel folder = FileChannel.open(wal.getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a folder; the file itself is what matters most
            }
        }
        channel.force(false);
        return attributes.size();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
