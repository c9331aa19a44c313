package app.parley.session;

import java.util.Objects;

/**
 * How a host invites guests who have no Parley: the address that opens its web client in a
 * browser, and that address as a QR code for a phone's camera.
 *
 * @param address the URL to open, e.g. {@code http://192.168.1.20:3000}
 * @param qrCode  {@code address} encoded as a QR code
 */
public record BrowserInvite(String address, QrCode qrCode) {
    public BrowserInvite {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(qrCode, "qrCode");
    }

    /**
     * A QR code as its square of modules, without the quiet zone around it (a reader needs four
     * light modules on every side; whoever draws it adds them).
     */
    public static final class QrCode {
        private final boolean[][] dark;

        /** @param dark rows of modules, {@code true} for dark; a square */
        public QrCode(boolean[][] dark) {
            int size = dark.length;
            this.dark = new boolean[size][];
            for (int y = 0; y < size; y++) {
                if (dark[y].length != size) {
                    throw new IllegalArgumentException(
                            "a QR code is square: row " + y + " has " + dark[y].length + " modules, not " + size);
                }
                this.dark[y] = dark[y].clone();
            }
        }

        /** Modules on a side. */
        public int size() {
            return dark.length;
        }

        public boolean isDark(int x, int y) {
            return dark[y][x];
        }
    }
}
