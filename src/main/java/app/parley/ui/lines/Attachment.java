package app.parley.ui.lines;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.SharedFile;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The file a line carries. One someone shared comes with the message that carries it, which is
 * what the bytes are fetched by; one this window just sent is known by the file it was sent from.
 *
 * @param name     the name to show, as the host made it safe (or the sent file's own name)
 * @param size     bytes
 * @param type     a MIME type
 * @param width    pixels, for a picture whose size is known; otherwise 0
 * @param height   pixels, as {@code width}
 * @param expired  whether the host no longer has the bytes
 * @param message  the message carrying it, or null for an own file sent from this window
 * @param sentFrom the file an own line was sent from, or null
 */
public record Attachment(
        String name,
        long size,
        String type,
        int width,
        int height,
        boolean expired,
        ChatMessage message,
        Path sentFrom) {
    /**
     * Pictures over this many pixels are shown as a card, never decoded: a few kB of PNG can claim
     * 50,000 × 50,000 pixels, 10 GB once decoded (docs/PROTOCOL.md §15.4).
     */
    public static final long MAX_PIXELS = 50_000_000L;

    /** What JavaFX decodes; a WebP picture shows as a card (JavaFX 21 has no WebP decoder). */
    private static final java.util.Set<String> DECODED =
            java.util.Set.of("image/png", "image/jpeg", "image/gif", "image/bmp");

    public Attachment {
        Objects.requireNonNull(name, "name");
        type = type == null || type.isBlank() ? "application/octet-stream" : type;
        width = Math.max(0, width);
        height = Math.max(0, height);
    }

    /** What {@code message} carries; null when it carries no file. */
    public static Attachment of(ChatMessage message) {
        SharedFile file = message.file();
        return file == null
                ? null
                : new Attachment(
                        file.name(),
                        file.size(),
                        file.type(),
                        file.width(),
                        file.height(),
                        file.expired(),
                        message,
                        null);
    }

    /** An own file on its way from {@code file}; width and height 0 when it is not a picture we read. */
    public static Attachment sent(Path file, String name, long size, String type, int width, int height) {
        return new Attachment(name, size, type, width, height, false, null, file);
    }

    /** Whether to show it inline: a picture of a known, bounded size whose bytes can be had. */
    public boolean showsAsPicture() {
        return !expired && type.startsWith("image/") && width > 0 && height > 0 && (long) width * height <= MAX_PIXELS;
    }

    /** The SHA-256 the host keeps it under, or null for an own file not yet acknowledged. */
    public String sha256() {
        return message == null || message.file() == null ? null : message.file().sha256();
    }

    /** "1.2 MB" */
    public String readableSize() {
        return SharedFile.readableSize(size);
    }
}
