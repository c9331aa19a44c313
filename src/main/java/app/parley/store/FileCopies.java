package app.parley.store;

import java.nio.file.Path;

/**
 * A second home for shared files' bytes that every host of a cluster reads: what one host was
 * sent, another serves ({@link FileShelf} keeps each host's own copies). Addressed by SHA-256, as
 * the shelf is. Calls block on the network: never on an I/O thread.
 */
public interface FileCopies {
    /**
     * Whether the bytes with this SHA-256 are kept here.
     *
     * @throws StoreException when the store cannot be asked
     */
    boolean has(String sha256);

    /**
     * Keeps {@code file}'s bytes under its SHA-256, once: nothing happens when they are here already
     * (another host, or an earlier upload of the same file, put them). Then, with a {@code quota}
     * (0: none), deletes the oldest other files while all of them take more.
     *
     * @return the SHA-256s deleted to make room
     * @throws StoreException when they could not be kept
     */
    java.util.List<String> put(String sha256, Path file, long quota);

    /**
     * Writes the bytes with this SHA-256 to {@code out}, a part at a time.
     *
     * @return false when they are not kept here (nothing was written)
     * @throws StoreException when the store fails, or writing to {@code out} does
     */
    boolean copyTo(String sha256, java.io.OutputStream out);
}
