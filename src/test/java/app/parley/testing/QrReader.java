package app.parley.testing;

import app.parley.session.BrowserInvite;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Map;

/** Reads QR codes back with ZXing, a decoder that shares nothing with the encoder Parley uses. */
public final class QrReader {
    private QrReader() {}

    /** The text in an image of {@code width} x {@code height} ARGB pixels, or null when none is found. */
    public static String read(int width, int height, int[] argb) {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, argb)));
        try {
            return new QRCodeReader()
                    .decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE, DecodeHintType.TRY_HARDER, true))
                    .getText();
        } catch (NotFoundException | com.google.zxing.ChecksumException | com.google.zxing.FormatException e) {
            return null;
        }
    }

    /** The text in {@code code}, drawn dark on white at 4 pixels a module with a 4-module quiet zone. */
    public static String read(BrowserInvite.QrCode code) {
        int scale = 4;
        int side = (code.size() + 8) * scale;
        int[] pixels = new int[side * side];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        for (int y = 0; y < code.size(); y++) {
            for (int x = 0; x < code.size(); x++) {
                if (code.isDark(x, y)) {
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            pixels[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0xFF000000;
                        }
                    }
                }
            }
        }
        return read(side, side, pixels);
    }
}
