package app.parley.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bytes of shared files, on disk, addressed by their SHA-256 ({@code <dir>/ab/ab12…}): the same
 * bytes sent twice are kept once, and no name a person gave ever reaches a path. Uploads under way
 * write to {@code <dir>/partial/<key>} (the key is the host's, never a peer's) and move in whole.
 *
 * <p>With a quota, admitting a file deletes the oldest others until everything fits (docs/PROTOCOL.md
 * §15.4); their messages stay and say the file expired. Thread-safe.
 *
 * <p>In a cluster the shelf is each host's own copies of what the hosts share through
 * {@link FileCopies} ({@link #shareThrough}): a file kept there is {@link #available} on every
 * host, {@link #fetch}ed onto a host's shelf when one of its people reads it, and a copy the quota
 * deleted here is fetched again, not expired. The quota applies to the shared store too: what it
 * deletes there has expired for the whole cluster.
 */
public final class FileShelf {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY = Pattern.compile("[0-9a-zA-Z_-]{1,128}");

    private final Path root;
    private final Path partial;
    /** 0 for none. */
    private final long quota;
    /** What is on the shelf: size and when it was last admitted, for the oldest-first eviction. */
    private final Map<String, Entry> entries = new HashMap<>();

    private long used;
    /** The store every host of a cluster reads files from too, or null for a host on its own. */
    private volatile FileCopies copies;
    /**
     * In a cluster, when each copy here was last found still kept in the cluster's store
     * ({@code System.nanoTime}): another host's quota may have deleted it there, and then it has
     * expired here too.
     */
    private final Map<String, Long> confirmed = new HashMap<>();

    /** How long a copy here is served on the strength of one look at the cluster's store. */
    public static final long RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private record Entry(long size, long admitted) {}

    private FileShelf(Path root, long quota) {
        this.root = root;
        this.partial = root.resolve("partial");
        this.quota = quota;
    }

    /**
     * Opens (creating) the shelf in {@code root}. Uploads left half-done by an earlier run are
     * deleted: their senders offer them again and start over.
     *
     * @param quota the most bytes all files may take together, or 0 for no limit
     * @throws StoreException when the folder cannot be made or read
     */
    public static FileShelf open(Path root, long quota) {
        FileShelf shelf = new FileShelf(root.toAbsolutePath(), Math.max(0, quota));
        try {
            Files.createDirectories(shelf.partial);
            try (Stream<Path> leftovers = Files.list(shelf.partial)) {
                for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(leftover);
                }
            }
            shelf.scan();
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("Cannot open the shared files folder " + root + ": " + e.getMessage(), e);
        }
        return shelf;
    }

    private void scan() throws IOException {
        try (DirectoryStream<Path> prefixes =
                Files.newDirectoryStream(root, p -> p.getFileName().toString().matches("[0-9a-f]{2}"))) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        if (SHA256.matcher(name).matches()
                                && name.startsWith(prefix.getFileName().toString())) {
                            long size = Files.size(file);
                            entries.put(
                                    name,
                                    new Entry(
                                            size,
                                            Files.getLastModifiedTime(file).toMillis()));
                            used += size;
                        }
                    }
                }
            }
        }
    }

    /** Where an upload under way keeps its bytes; {@code key} is made by the host (letters, digits, {@code -_}). */
    public Path partialFile(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a partial key: " + key);
        }
        return partial.resolve(key);
    }

    /** Whether the bytes with this SHA-256 are on the shelf. */
    public synchronized boolean has(String sha256) {
        return entries.containsKey(sha256);
    }

    /** From now on files are kept in {@code shared} too, and read from it when not on this shelf. */
    public void shareThrough(FileCopies shared) {
        copies = shared;
    }

    /**
     * Whether the bytes can be had: on this shelf, or in a cluster, in the shared store (which
     * says for every host; it is asked, so not on an I/O thread).
     *
     * @throws StoreException when the shared store cannot be asked
     */
    public boolean available(String sha256) {
        FileCopies shared = copies;
        if (shared == null) {
            return has(sha256);
        }
        boolean kept = shared.has(sha256);
        settle(sha256, kept);
        return kept;
    }

    /**
     * After a look at the cluster's store: a copy here of bytes it still keeps is good for
     * {@link #RECHECK_NANOS}; one of bytes it deleted goes (this host's disk is not kept for them).
     */
    private synchronized void settle(String sha256, boolean kept) {
        if (kept) {
            if (entries.containsKey(sha256)) {
                confirmed.put(sha256, System.nanoTime());
            }
            return;
        }
        try {
            drop(sha256);
        } catch (IOException e) {
            // this host's own quota deletes it later
        }
    }

    /** Whether the copy here may be served without asking the cluster's store again. */
    private synchronized boolean recentlyConfirmed(String sha256) {
        Long at = confirmed.get(sha256);
        return at != null && System.nanoTime() - at < RECHECK_NANOS;
    }

    /**
     * Makes sure the bytes are on this shelf: fetched from the cluster's store when only there,
     * checked against their SHA-256 on the way. In a cluster a copy here counts only while that
     * store still keeps the bytes (asked again after {@link #RECHECK_NANOS}): when another host's
     * quota deleted them, the copy here goes too. Blocks for as long as the copy takes.
     *
     * @return false when neither has them
     * @throws StoreException when the store, the disk or the bytes fail
     */
    public boolean fetch(String sha256) {
        FileCopies shared = copies;
        if (has(sha256)) {
            return shared == null || recentlyConfirmed(sha256) || available(sha256);
        }
        if (shared == null) {
            return false;
        }
        Path fetching = partialFile("fetch-" + java.util.UUID.randomUUID());
        try {
            // Hashed as it is written, so the bytes are read once.
            java.security.MessageDigest digest = sha256Digest();
            try (var out = new java.security.DigestOutputStream(Files.newOutputStream(fetching), digest)) {
                if (!shared.copyTo(sha256, out)) {
                    return false;
                }
            } catch (IOException e) {
                throw new StoreException("Cannot write a fetched shared file: " + e.getMessage(), e);
            }
            String got = java.util.HexFormat.of().formatHex(digest.digest());
            if (!got.equals(sha256)) {
                throw new StoreException("The shared file " + sha256 + " read from the cluster's store has other"
                        + " bytes (SHA-256 " + got + "); it is not served");
            }
            admit(fetching, sha256);
            settle(sha256, true);
            return true;
        } finally {
            try {
                Files.deleteIfExists(fetching);
            } catch (IOException e) {
                // the next start clears partial/
            }
        }
    }

    /**
     * Keeps the bytes of a file on this shelf in the cluster's store as well (nothing for a host on
     * its own), within the quota there; what that deletes goes from this shelf too. Blocks for as
     * long as the copy takes.
     *
     * @return the SHA-256s the cluster's store deleted to make room
     * @throws StoreException when they could not be kept there
     */
    public List<String> share(String sha256) {
        FileCopies shared = copies;
        if (shared == null) {
            return List.of();
        }
        List<String> dropped = shared.put(sha256, path(sha256), quota);
        synchronized (this) {
            for (String gone : dropped) {
                try {
                    drop(gone);
                } catch (IOException e) {
                    // this host keeps its copy until its own quota deletes it
                }
            }
        }
        return dropped;
    }

    private static java.security.MessageDigest sha256Digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Where the bytes with this SHA-256 are; check {@link #has} first (they may expire any time after). */
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** The most bytes all files may take together, or 0 for no limit. */
    public long quota() {
        return quota;
    }

    /** Whether the disk under the shelf has room for {@code size} more bytes, with some to spare. */
    public boolean diskHasRoomFor(long size) {
        try {
            return Files.getFileStore(root).getUsableSpace() >= size + (64L << 20);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Moves a finished upload onto the shelf under its SHA-256 (or drops it, when those bytes are
     * there already), then deletes the oldest other files while the quota is exceeded.
     *
     * @return the SHA-256s of the files deleted to make room
     * @throws StoreException when the move fails
     */
    public synchronized List<String> admit(Path upload, String sha256) {
        Path target = path(sha256);
        try {
            long size = Files.size(upload);
            if (entries.containsKey(sha256)) {
                Files.deleteIfExists(upload);
                Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
                entries.put(sha256, new Entry(size, System.currentTimeMillis()));
                return List.of();
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(upload);
            }
            entries.put(sha256, new Entry(size, System.currentTimeMillis()));
            used += size;
            return makeRoom(sha256);
        } catch (IOException e) {
            throw new StoreException("Cannot keep a shared file: " + e.getMessage(), e);
        }
    }

    private List<String> makeRoom(String keep) throws IOException {
        if (quota == 0 || used <= quota) {
            return List.of();
        }
        List<Map.Entry<String, Entry>> oldestFirst = new ArrayList<>(entries.entrySet());
        oldestFirst.sort(Comparator.comparingLong(e -> e.getValue().admitted()));
        List<String> evicted = new ArrayList<>();
        for (Map.Entry<String, Entry> candidate : oldestFirst) {
            if (used <= quota) {
                break;
            }
            if (candidate.getKey().equals(keep)) {
                continue;
            }
            drop(candidate.getKey());
            evicted.add(candidate.getKey());
        }
        return evicted;
    }

    /** Deletes a file's bytes and takes it off the shelf (nothing when it is not on it); the caller holds the lock. */
    private void drop(String sha256) throws IOException {
        Entry entry = entries.get(sha256);
        if (entry != null) {
            Files.deleteIfExists(path(sha256));
            entries.remove(sha256);
            confirmed.remove(sha256);
            used -= entry.size();
        }
    }

    /** Bytes all files on the shelf take together. */
    public synchronized long used() {
        return used;
    }
}
