package app.parley.ui.chat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes pixels as a PNG (8-bit RGBA, no filter): what a picture pasted from the clipboard is sent
 * as. The window has no javafx-swing, so no {@code SwingFXUtils} to hand it to ImageIO; a PNG is a
 * signature, a header, the deflated rows and an end, each chunk with a CRC.
 */
final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngWriter() {}

    /** {@code argb}: row after row, {@code width} pixels each, as {@code PixelFormat.getIntArgbInstance()} gives them. */
    static byte[] write(int width, int height, int[] argb) {
        if (width <= 0 || height <= 0 || argb.length < (long) width * height) {
            throw new IllegalArgumentException("no pixels for a " + width + " x " + height + " picture");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(SIGNATURE);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeInt(width);
            h.writeInt(height);
            h.writeByte(8); // bits per channel
            h.writeByte(6); // RGBA
            h.writeByte(0); // deflate
            h.writeByte(0); // filter method
            h.writeByte(0); // no interlace
            chunk(out, "IHDR", header.toByteArray());
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(data)) {
                byte[] row = new byte[1 + width * 4];
                for (int y = 0; y < height; y++) {
                    row[0] = 0; // filter "none"
                    for (int x = 0; x < width; x++) {
                        int pixel = argb[y * width + x];
                        int at = 1 + x * 4;
                        row[at] = (byte) (pixel >>> 16);
                        row[at + 1] = (byte) (pixel >>> 8);
                        row[at + 2] = (byte) pixel;
                        row[at + 3] = (byte) (pixel >>> 24);
                    }
                    deflate.write(row);
                }
            }
            chunk(out, "IDAT", data.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] body) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(body.length);
        d.write(name);
        d.write(body);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(body);
        d.writeInt((int) crc.getValue());
    }
}
