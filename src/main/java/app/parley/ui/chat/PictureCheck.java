package app.parley.ui.chat;

import app.parley.protocol.ImageHeader;
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
    /** As much as the header reader may need (a JPEG's size can come after a large EXIF block). */
    static final int HEAD_BYTES = ImageHeader.NEEDED;

    /** Whether the window may decode {@code picture}: within the pixels it shows at most. */
    static boolean fitsShowing(ImageHeader.Picture picture) {
        return picture.width() > 0 && picture.height() > 0 && picture.pixels() <= Attachment.MAX_PIXELS;
    }

    private PictureCheck() {}

    /** The picture {@code file} starts with, if it is one this window reads the size of. */
    static Optional<ImageHeader.Picture> of(Path file) throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; length < head.length && (n = in.read(head, length, head.length - length)) > 0; ) {
                length += n;
            }
        }
        // The host's reader, so host and window agree on what is a picture and how big.
        return ImageHeader.read(head, length);
    }
}
