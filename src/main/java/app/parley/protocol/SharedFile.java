package app.parley.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file a message carries ({@code meta.file}, docs/PROTOCOL.md §15.1).
 *
 * @param sha256  the bytes' SHA-256, 64 lower-case hex digits: what the host stores them under
 * @param name    the sender's file name as the host made it safe; shown, never used as a path as is
 * @param size    bytes
 * @param type    a MIME type; for pictures what the host read in the bytes
 * @param width   pixels, for a picture whose size the host read; otherwise 0
 * @param height  pixels, as {@code width}
 * @param expired whether the host no longer has the bytes (its quota made room)
 */
public record SharedFile(String sha256, String name, long size, String type, int width, int height, boolean expired) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public SharedFile {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (name == null || name.isEmpty() || size < 0) {
            throw new IllegalArgumentException("a shared file needs a name and a size");
        }
        type = type == null || type.isBlank() ? "application/octet-stream" : type;
        width = Math.max(0, width);
        height = Math.max(0, height);
    }

    /** Whether receivers may show it as a picture: the host read its size in the bytes. */
    public boolean isPicture() {
        return width > 0 && height > 0 && type.startsWith("image/");
    }

    /** The same file, with the host's bytes gone. */
    public SharedFile asExpired() {
        return new SharedFile(sha256, name, size, type, width, height, true);
    }

    public static boolean isSha256(Object value) {
        return value instanceof String s && SHA256.matcher(s).matches();
    }

    /** The JSON shape of {@code meta.file}. */
    public Map<String, Object> toWire() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("sha256", sha256);
        wire.put("name", name);
        wire.put("size", size);
        wire.put("type", type);
        if (width > 0 && height > 0) {
            wire.put("width", width);
            wire.put("height", height);
        }
        if (expired) {
            wire.put("expired", true);
        }
        return wire;
    }

    /** {@code meta.file} read back; empty when it is absent or malformed (a peer's mistake is not ours to show). */
    public static Optional<SharedFile> fromWire(Object value) {
        if (!(value instanceof Map<?, ?> map)
                || !isSha256(map.get("sha256"))
                || !(map.get("name") instanceof String name)
                || name.isEmpty()
                || !(map.get("size") instanceof Number size)
                || size.longValue() < 0) {
            return Optional.empty();
        }
        return Optional.of(new SharedFile(
                (String) map.get("sha256"),
                name,
                size.longValue(),
                map.get("type") instanceof String t ? t : null,
                map.get("width") instanceof Number w ? (int) Math.min(Integer.MAX_VALUE, w.longValue()) : 0,
                map.get("height") instanceof Number h ? (int) Math.min(Integer.MAX_VALUE, h.longValue()) : 0,
                Boolean.TRUE.equals(map.get("expired"))));
    }

    /** "1.2 MB": sizes for people, in the units file managers use (1 kB = 1000 bytes). */
    public static String readableSize(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
