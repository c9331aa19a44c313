package app.parley.protocol;

import java.util.Optional;

/** TEMPORARY stub until the files-safety branch lands. */
public final class ImageHeader {
    public static final int NEEDED = 64 * 1024;

    public record Picture(String type, int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    public static Optional<Picture> read(byte[] head, int length) {
        if (length >= 24 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            int w = java.nio.ByteBuffer.wrap(head, 16, 4).getInt();
            int h = java.nio.ByteBuffer.wrap(head, 20, 4).getInt();
            return w > 0 && h > 0 ? Optional.of(new Picture("image/png", w, h)) : Optional.empty();
        }
        return Optional.empty();
    }

    private ImageHeader() {}
}
