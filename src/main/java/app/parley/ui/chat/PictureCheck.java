package app.parley.ui.chat;

import app.parley.ui.lines.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the first bytes of a picture say it is, read before anything decodes it: the host's word
 * for a file's size is not trusted with the window's memory, the bytes on disk are.
 */
final class PictureCheck {
    /** Enough for a JPEG whose size comes after a large EXIF block. */
    static final int HEAD_BYTES = 64 * 1024;

    /** A picture's format as a MIME type, and its size in pixels. */
    record Picture(String type, int width, int height) {
        boolean fitsShowing() {
            return width > 0 && height > 0 && (long) width * height <= Attachment.MAX_PIXELS;
        }
    }

    private PictureCheck() {}

    /** The picture {@code file} starts with, if it is one this window reads the size of. */
    static Optional<Picture> of(Path file) throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; length < head.length && (n = in.read(head, length, head.length - length)) > 0; ) {
                length += n;
            }
        }
        return read(head, length);
    }

    /**
     * The one place a header is read.
     *
     * <p>TODO(#26): call {@code protocol.ImageHeader.read(head, length)} once it is on main (the
     * host reads headers with it) and delete {@link #readHere}; this is the single call site.
     */
    static Optional<Picture> read(byte[] head, int length) {
        return readHere(head, length);
    }

    /** PNG, GIF and JPEG, the formats JavaFX decodes; anything else is not a picture here. */
    static Optional<Picture> readHere(byte[] b, int length) {
        if (length >= 24
                && (b[0] & 0xff) == 0x89
                && b[1] == 'P'
                && b[2] == 'N'
                && b[3] == 'G'
                && b[12] == 'I'
                && b[13] == 'H'
                && b[14] == 'D'
                && b[15] == 'R') {
            return picture("image/png", int32(b, 16), int32(b, 20));
        }
        if (length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return picture("image/gif", (b[6] & 0xff) | (b[7] & 0xff) << 8, (b[8] & 0xff) | (b[9] & 0xff) << 8);
        }
        if (length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return jpeg(b, length);
        }
        return Optional.empty();
    }

    /** Walks the JPEG segments to the first start-of-frame, which holds the size. */
    private static Optional<Picture> jpeg(byte[] b, int length) {
        int at = 2;
        while (at + 9 < length) {
            if ((b[at] & 0xff) != 0xff) {
                return Optional.empty();
            }
            int marker = b[at + 1] & 0xff;
            if (marker == 0xff) {
                at++; // fill byte
                continue;
            }
            int segment = (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
            boolean startOfFrame =
                    marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (startOfFrame) {
                int height = (b[at + 5] & 0xff) << 8 | (b[at + 6] & 0xff);
                int width = (b[at + 7] & 0xff) << 8 | (b[at + 8] & 0xff);
                return picture("image/jpeg", width, height);
            }
            if (segment < 2) {
                return Optional.empty();
            }
            at += 2 + segment;
        }
        return Optional.empty();
    }

    private static Optional<Picture> picture(String type, long width, long height) {
        return width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE
                ? Optional.empty()
                : Optional.of(new Picture(type, (int) width, (int) height));
    }

    private static long int32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
