package app.parley.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A picture's format and pixel size, read from its first bytes without decoding it
 * (docs/PROTOCOL.md §15.4).
 *
 * <p>Why: a 20 kB PNG may declare 50,000 × 50,000 pixels, and decoding it to check would
 * allocate gigabytes. Reading the header is enough to refuse it, and enough to tell receivers
 * how big a card to draw. Only PNG, JPEG, GIF and WebP are recognised; anything else is a file,
 * not a picture. Never throws, whatever the bytes: they come from the network.
 *
 * <pre>{@code
 * Optional<Picture> p = ImageHeader.read(head, Math.min(head.length, ImageHeader.NEEDED));
 * if (p.isPresent() && p.get().pixels() > 50_000_000L) refuse();
 * }</pre>
 */
public final class ImageHeader {

    /**
     * How many leading bytes callers should pass at most. PNG, GIF and WebP need fewer than 32;
     * a JPEG's frame header may follow EXIF and other APP segments, each up to 64 kB.
     */
    public static final int NEEDED = 64 * 1024;

    /** What the header says. {@code type} is the MIME type: image/png, image/jpeg, image/gif or image/webp. */
    public record Picture(String type, int width, int height) {
        /** Width × height, without int overflow (a WebP canvas may be 2^24 × 2^24). */
        public long pixels() {
            return (long) width * height;
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ImageHeader() {}

    /**
     * The format and size of the picture whose first {@code length} bytes are in {@code head};
     * empty when it is none of the four formats, or its header is cut short or malformed.
     */
    public static Optional<Picture> read(byte[] head, int length) {
        if (head == null) {
            return Optional.empty();
        }
        Bytes b = new Bytes(head, Math.max(0, Math.min(length, head.length)));
        Picture picture;
        if (b.startsWith(0, PNG)) {
            picture = png(b);
        } else if (b.u8(0) == 0xFF && b.u8(1) == 0xD8) {
            picture = jpeg(b);
        } else if (isGif(b)) {
            picture = new Picture("image/gif", b.u16le(6), b.u16le(8));
        } else if (isWebp(b)) {
            picture = webp(b);
        } else {
            picture = null;
        }
        if (picture == null || picture.width() <= 0 || picture.height() <= 0) {
            return Optional.empty();
        }
        return Optional.of(picture);
    }

    /**
     * Whether the bytes begin with the magic of one of the four formats, header readable or not:
     * a file that claims to be a picture but whose size cannot be read can then be refused
     * rather than passed on for someone's decoder to try.
     */
    public static boolean startsLikePicture(byte[] head, int length) {
        if (head == null) {
            return false;
        }
        Bytes b = new Bytes(head, Math.max(0, Math.min(length, head.length)));
        return b.startsWith(0, PNG) || (b.u8(0) == 0xFF && b.u8(1) == 0xD8 && b.u8(2) == 0xFF) || isGif(b) || isWebp(b);
    }

    /** The signature, then the first chunk, which must be a 13-byte IHDR: width, height (31-bit big-endian). */
    private static Picture png(Bytes b) {
        if (b.u32be(8) != 13 || !b.startsWith(12, ascii("IHDR"))) {
            return null;
        }
        long width = b.u32be(16);
        long height = b.u32be(20);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            return null;
        }
        return new Picture("image/png", (int) width, (int) height);
    }

    /** Walks the marker segments after SOI to the first start-of-frame, which holds the size. */
    private static Picture jpeg(Bytes b) {
        int pos = 2;
        while (true) {
            if (b.u8(pos) != 0xFF) {
                return null; // cut short (-1) or not a marker where one must be
            }
            while (b.u8(pos) == 0xFF) {
                pos++; // a marker may be preceded by any number of fill bytes
            }
            int marker = b.u8(pos++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM and RSTn stand alone, without a length
            }
            if (marker < 0 || marker == 0x00 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA) {
                return null; // cut short, or SOI/EOI/SOS before any frame header
            }
            int segment = b.u16be(pos); // counts its own two bytes
            if (segment < 2) {
                return null;
            }
            if (isStartOfFrame(marker)) {
                // length (2), sample precision (1), height (2), width (2), component count (1), ...
                if (segment < 8) {
                    return null;
                }
                int height = b.u16be(pos + 3);
                int width = b.u16be(pos + 5);
                return width < 0 || height < 0 ? null : new Picture("image/jpeg", width, height);
            }
            if (segment > b.length - pos) {
                return null; // the frame header is past the bytes we were given
            }
            pos += segment;
        }
    }

    /** SOF0–SOF15 are C0–CF, but C4 (DHT), C8 (JPG) and CC (DAC) share that range and are not frames. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean isGif(Bytes b) {
        return b.startsWith(0, ascii("GIF87a")) || b.startsWith(0, ascii("GIF89a"));
    }

    private static boolean isWebp(Bytes b) {
        return b.startsWith(0, ascii("RIFF")) && b.startsWith(8, ascii("WEBP"));
    }

    /** The first chunk after "WEBP" says which of the three encodings follows, and where its size is. */
    private static Picture webp(Bytes b) {
        int data = 20; // "RIFF", size, "WEBP", chunk fourcc, chunk size
        if (b.startsWith(12, ascii("VP8 "))) {
            // A 3-byte frame tag whose low bit is 0 for a key frame, the start code, then 14-bit sizes.
            int tag = b.u8(data);
            if (tag < 0
                    || (tag & 1) != 0
                    || b.u8(data + 3) != 0x9d
                    || b.u8(data + 4) != 0x01
                    || b.u8(data + 5) != 0x2a) {
                return null;
            }
            int width = b.u16le(data + 6);
            int height = b.u16le(data + 8);
            return width < 0 || height < 0 ? null : new Picture("image/webp", width & 0x3fff, height & 0x3fff);
        }
        if (b.startsWith(12, ascii("VP8L"))) {
            // Signature 0x2f, then 14 bits of width-1, 14 of height-1, 1 alpha bit and a 3-bit version (0).
            long bits = b.u32le(data + 1);
            if (b.u8(data) != 0x2f || bits < 0 || (bits >>> 29) != 0) {
                return null;
            }
            return new Picture("image/webp", (int) (bits & 0x3fff) + 1, (int) ((bits >>> 14) & 0x3fff) + 1);
        }
        if (b.startsWith(12, ascii("VP8X"))) {
            // Flags (1), reserved (3), then 24-bit canvas width-1 and height-1.
            int width = b.u24le(data + 4);
            int height = b.u24le(data + 7);
            return width < 0 || height < 0 ? null : new Picture("image/webp", width + 1, height + 1);
        }
        return null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bounds-checked reads: any read past {@code length} gives -1, so no input can throw. */
    private record Bytes(byte[] bytes, int length) {
        int u8(int at) {
            return at >= 0 && at < length ? bytes[at] & 0xFF : -1;
        }

        boolean startsWith(int at, byte[] prefix) {
            if (at < 0 || prefix.length > length - at) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[at + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        int u16be(int at) {
            return has(at, 2) ? u8(at) << 8 | u8(at + 1) : -1;
        }

        int u16le(int at) {
            return has(at, 2) ? u8(at) | u8(at + 1) << 8 : -1;
        }

        int u24le(int at) {
            return has(at, 3) ? u8(at) | u8(at + 1) << 8 | u8(at + 2) << 16 : -1;
        }

        long u32be(int at) {
            return has(at, 4) ? (long) u16be(at) << 16 | u16be(at + 2) : -1;
        }

        long u32le(int at) {
            return has(at, 4) ? (long) u16le(at + 2) << 16 | u16le(at) : -1;
        }

        private boolean has(int at, int count) {
            return at >= 0 && count <= length - at;
        }
    }
}
