package app.parley.host;

import app.parley.session.BrowserInvite;
import io.nayuki.qrcodegen.QrCode;

/** The invitation a host window shows guests without Parley: its address, and that as a QR code. */
final class GuestInvites {
    private GuestInvites() {}

    /**
     * {@code address} with its QR code at error correction level M (15% of the code may be
     * covered or smudged; the library raises it further when that costs no size).
     */
    static BrowserInvite of(String address) {
        QrCode code = QrCode.encodeText(address, QrCode.Ecc.MEDIUM);
        boolean[][] modules = new boolean[code.size][code.size];
        for (int y = 0; y < code.size; y++) {
            for (int x = 0; x < code.size; x++) {
                modules[y][x] = code.getModule(x, y);
            }
        }
        return new BrowserInvite(address, new BrowserInvite.QrCode(modules));
    }
}
