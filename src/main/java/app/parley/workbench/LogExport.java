package app.parley.workbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A connection's log as a JSON file: {@code {"url", "namespace", "exported", "entries": [...]}},
 * each entry with its time (ISO-8601), direction, kind, event, arguments (binary as
 * {@code {"_binary": "<base64>"}}), and where they apply its round-trip time, reply id and note.
 * The handshake {@code auth} is left out: it often holds a token.
 */
public final class LogExport {
    private LogExport() {}

    /** Writes {@code entries} to {@code file} whole (a temporary file moved over it). */
    public static void write(ConnectionSpec spec, List<LogEntry> entries, Path file) throws IOException {
        JSONArray list = new JSONArray();
        for (LogEntry e : entries) {
            JSONObject json = new JSONObject()
                    .put("seq", e.seq())
                    .put("time", e.time().toString())
                    .put("direction", e.direction().name().toLowerCase(java.util.Locale.ROOT))
                    .put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("namespace", e.namespace())
                    .put("event", e.event())
                    .put("args", Payloads.toExport(e.args()));
            if (e.rttMillis() >= 0) {
                json.put("rttMillis", e.rttMillis());
            }
            if (e.replyId() >= 0) {
                json.put("replyId", e.replyId());
            }
            if (!e.note().isEmpty()) {
                json.put("note", e.note());
            }
            list.put(json);
        }
        JSONObject document = new JSONObject()
                .put("url", spec.url())
                .put("namespace", spec.namespace())
                .put("exported", Instant.now().toString())
                .put("entries", list);
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(
                absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, document.toString(2), StandardCharsets.UTF_8);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads a file {@link #write} made back into entries.
     *
     * @throws IOException when it cannot be read or is not such a file
     */
    public static List<LogEntry> read(Path file) throws IOException {
        try {
            JSONArray list = new JSONObject(Files.readString(file, StandardCharsets.UTF_8)).getJSONArray("entries");
            List<LogEntry> entries = new ArrayList<>(list.length());
            for (int i = 0; i < list.length(); i++) {
                JSONObject json = list.getJSONObject(i);
                @SuppressWarnings("unchecked")
                List<Object> args = (List<Object>) Payloads.fromExport(json.getJSONArray("args"));
                entries.add(new LogEntry(
                        json.getLong("seq"),
                        Instant.parse(json.getString("time")),
                        LogEntry.Direction.valueOf(json.getString("direction").toUpperCase(java.util.Locale.ROOT)),
                        LogEntry.Kind.valueOf(json.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        json.getString("namespace"),
                        json.getString("event"),
                        args,
                        json.optLong("rttMillis", -1),
                        json.optInt("replyId", -1),
                        json.optString("note", "")));
            }
            return entries;
        } catch (JSONException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new IOException(file + " is not an exported workbench log: " + e.getMessage(), e);
        }
    }
}
