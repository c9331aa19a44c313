package app.parley.workbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's saved connections and emitters, in {@value #FILE_NAME} in the data directory.
 * Loading never fails: a missing file is empty, a malformed or oversized one is kept aside as
 * {@code workbench.json.bad} and the lists start empty. Each list keeps one item per name, the
 * newest first, at most {@value #MAX_CONNECTIONS} connections and {@value #MAX_EMITTERS}
 * emitters. Every change is written through {@code writer} as a whole new file.
 */
public final class SavedItems {
    public static final String FILE_NAME = "workbench.json";
    static final int MAX_CONNECTIONS = 50;
    static final int MAX_EMITTERS = 200;
    /** Larger than any file this class writes; a bigger one is not ours to read. */
    static final long MAX_FILE_BYTES = 2_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(SavedItems.class);

    private final Path file;
    private final Executor writer;
    private List<ConnectionSpec> connections;
    private List<SavedEmitter> emitters;

    private SavedItems(Path file, Executor writer, List<ConnectionSpec> connections, List<SavedEmitter> emitters) {
        this.file = file;
        this.writer = writer;
        this.connections = connections;
        this.emitters = emitters;
    }

    /** @param writer where the file is written after each change (a background executor in the app) */
    public static SavedItems load(Path file, Executor writer) {
        Objects.requireNonNull(file, "file");
        List<ConnectionSpec> connections = new ArrayList<>();
        List<SavedEmitter> emitters = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
                }
                JSONObject json = new JSONObject(Files.readString(file, StandardCharsets.UTF_8));
                read(json.optJSONArray("connections"), ConnectionSpec::fromJson, connections, MAX_CONNECTIONS);
                read(json.optJSONArray("emitters"), SavedEmitter::fromJson, emitters, MAX_EMITTERS);
            } catch (IOException | JSONException | IllegalArgumentException e) {
                LOG.warn("Saved workbench items in {} are unreadable ({}); starting empty", file, e.toString());
                connections.clear();
                emitters.clear();
                keepAside(file);
            }
        }
        return new SavedItems(file, writer, List.copyOf(connections), List.copyOf(emitters));
    }

    public synchronized List<ConnectionSpec> connections() {
        return connections;
    }

    public synchronized List<SavedEmitter> emitters() {
        return emitters;
    }

    /** Saves {@code spec} under its name, replacing one of the same name, at the top of the list. */
    public void saveConnection(ConnectionSpec spec) {
        synchronized (this) {
            connections = upsert(connections, spec, ConnectionSpec::name, MAX_CONNECTIONS);
        }
        save();
    }

    public void forgetConnection(String name) {
        synchronized (this) {
            connections =
                    connections.stream().filter(c -> !c.name().equals(name)).toList();
        }
        save();
    }

    public void saveEmitter(SavedEmitter emitter) {
        synchronized (this) {
            emitters = upsert(emitters, emitter, SavedEmitter::name, MAX_EMITTERS);
        }
        save();
    }

    public void forgetEmitter(String name) {
        synchronized (this) {
            emitters = emitters.stream().filter(e -> !e.name().equals(name)).toList();
        }
        save();
    }

    private static <T> List<T> upsert(List<T> list, T item, Function<T, String> name, int max) {
        List<T> next = new ArrayList<>();
        next.add(item);
        for (T old : list) {
            if (!name.apply(old).equals(name.apply(item)) && next.size() < max) {
                next.add(old);
            }
        }
        return List.copyOf(next);
    }

    private static <T> void read(JSONArray array, Function<JSONObject, T> parse, List<T> into, int max) {
        if (array == null) {
            return;
        }
        for (int i = 0; i < array.length() && into.size() < max; i++) {
            JSONObject item = array.optJSONObject(i);
            if (item != null) {
                into.add(parse.apply(item));
            }
        }
    }

    private void save() {
        writer.execute(this::write);
    }

    /** Writes what is current when it runs, so writes that overtake each other still leave the latest. */
    private synchronized void write() {
        JSONArray savedConnections = new JSONArray();
        connections.forEach(c -> savedConnections.put(c.toJson()));
        JSONArray savedEmitters = new JSONArray();
        emitters.forEach(e -> savedEmitters.put(e.toJson()));
        JSONObject json = new JSONObject().put("connections", savedConnections).put("emitters", savedEmitters);
        Path temp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            Files.writeString(temp, json.toString(2), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Could not save the workbench's items to {}: {}", file, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Left behind only if the move failed and so did this; harmless.
                }
            }
        }
    }

    private static void keepAside(Path file) {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("Could not keep the unreadable workbench file aside", e);
        }
    }
}
