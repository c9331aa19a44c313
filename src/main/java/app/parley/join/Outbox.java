package app.parley.join;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages sent and not yet acknowledged by the host, oldest first. Each keeps the id its sender
 * gave it, so sending it again after a timeout, a reconnect or an app restart is safe: the host
 * stores it once. Kept in a file (rewritten whole, atomically, on every change: an outbox holds a
 * handful of messages) when one is given, so "sending…" finishes after a restart too.
 *
 * <p>The file is written on a thread of its own, never on the FX thread or socket.io's event
 * thread; changes made while a write waits are coalesced into one (the latest state wins), and
 * {@link #close()} waits for the last write.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /**
     * One message on its way.
     *
     * @param cid    the sender's id for it
     * @param room   the {@code room} argument of {@code send-message}
     * @param toUser for a direct message, the recipient's user (it outlives their socket id)
     */
    record Entry(String cid, String room, String toUser, String text, long created) {}

    private final Path file;
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    /** Writes the file; null without one. */
    private final ExecutorService writer;
    /** The state the next write puts on disk; null when no write waits. */
    private final AtomicReference<String> unwritten = new AtomicReference<>();
    /** One write at a time, each of the newest state when it starts. */
    private final Object writing = new Object();

    /** @param file where the outbox lives, or null to keep it in memory only */
    Outbox(Path file) {
        this.file = file;
        if (file != null) {
            load();
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "parley-outbox");
                t.setDaemon(true);
                return t;
            });
        } else {
            writer = null;
        }
    }

    /** One outbox per host and user in {@code folder}; none without a folder or a user key. */
    static Path fileFor(Path folder, URI uri, String user) {
        if (folder == null || user == null) {
            return null;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((uri.toString() + "\n" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return folder.resolve(java.util.HexFormat.of().formatHex(digest, 0, 12) + ".json");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Waits (a few seconds at most) until the last change is on disk; later changes are written at once. */
    void close() {
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The outbox {} was still being written when its connection closed", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized boolean add(Entry entry) {
        if (pending.putIfAbsent(entry.cid(), entry) != null) {
            return false;
        }
        save();
        return true;
    }

    synchronized Entry remove(String cid) {
        Entry removed = pending.remove(cid);
        if (removed != null) {
            save();
        }
        return removed;
    }

    synchronized boolean contains(String cid) {
        return pending.containsKey(cid);
    }

    synchronized List<Entry> pending() {
        return new ArrayList<>(pending.values());
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JSONArray entries = new JSONArray(Files.readString(file, StandardCharsets.UTF_8));
            for (int i = 0; i < entries.length(); i++) {
                JSONObject e = entries.getJSONObject(i);
                Entry entry = new Entry(
                        e.getString("cid"),
                        e.getString("room"),
                        e.optString("to", null),
                        e.getString("text"),
                        e.getLong("created"));
                pending.put(entry.cid(), entry);
            }
        } catch (IOException | JSONException e) {
            // Unreadable: keep it aside for a person to look at, start empty rather than not at all.
            LOG.warn("Outbox {} could not be read ({}); kept as {}.bad", file, e.getMessage(), file.getFileName());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // nothing more to do; the next save overwrites it
            }
        }
    }

    /** Hands the current state to the writer (called under this outbox's lock, so states arrive in order). */
    private void save() {
        if (file == null) {
            return;
        }
        if (unwritten.getAndSet(toJson()) != null) {
            return; // a write waits already, and will take this state
        }
        try {
            writer.execute(this::writeLatest);
        } catch (RejectedExecutionException closed) {
            writeLatest(); // a straggler after close: still on disk, in order
        }
    }

    private String toJson() {
        JSONArray entries = new JSONArray();
        for (Entry entry : pending.values()) {
            JSONObject e = new JSONObject();
            e.put("cid", entry.cid());
            e.put("room", entry.room());
            if (entry.toUser() != null) {
                e.put("to", entry.toUser());
            }
            e.put("text", entry.text());
            e.put("created", entry.created());
            entries.put(e);
        }
        return entries.toString();
    }

    private void writeLatest() {
        synchronized (writing) {
            String json = unwritten.getAndSet(null);
            if (json != null) {
                write(json);
            }
        }
    }

    private void write(String json) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, json, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Could not save the outbox {}: {}", file, e.getMessage());
        }
    }
}
