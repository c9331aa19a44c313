package app.parley.ui.chat;

import app.parley.session.BrowserInvite;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;

/**
 * The host window's invitation to guests without Parley: "Guests can open <address> in a
 * browser", a button that copies the address, and its QR code for a phone. Draws only what the
 * {@link BrowserInvite} holds.
 */
final class GuestInviteView {
    /** Pixels per module: whole pixels keep every edge sharp; three is plenty for a phone's camera. */
    static final int MODULE_PIXELS = 3;
    /** Light modules around the code, as the QR standard asks (four on every side). */
    static final int QUIET_ZONE = 4;

    private GuestInviteView() {}

    /** The line with its copy button. */
    static HBox line(String invitation, BrowserInvite invite, Consumer<String> copy) {
        Label text = new Label(invitation);
        text.setId("browser-invite");
        text.getStyleClass().add("muted");
        Button copyButton = new Button("Copy address");
        copyButton.setId("copy-browser-address");
        copyButton.getStyleClass().add("flat");
        copyButton.setTooltip(new Tooltip("Copy " + invite.address()));
        copyButton.setOnAction(e -> copy.accept(invite.address()));
        HBox row = new HBox(text, copyButton);
        row.getStyleClass().add("header-row");
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /**
     * The QR code, dark on white whatever the theme (readers expect a light quiet zone), at whole
     * pixels per module.
     */
    static Canvas qrCode(BrowserInvite invite) {
        BrowserInvite.QrCode code = invite.qrCode();
        int side = (code.size() + 2 * QUIET_ZONE) * MODULE_PIXELS;
        Canvas canvas = new Canvas(side, side);
        canvas.setId("browser-qr-code");
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setImageSmoothing(false);
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.setFill(Color.BLACK);
        for (int y = 0; y < code.size(); y++) {
            for (int x = 0; x < code.size(); x++) {
                if (code.isDark(x, y)) {
                    g.fillRect(
                            (QUIET_ZONE + x) * MODULE_PIXELS,
                            (QUIET_ZONE + y) * MODULE_PIXELS,
                            MODULE_PIXELS,
                            MODULE_PIXELS);
                }
            }
        }
        canvas.setAccessibleRole(AccessibleRole.IMAGE_VIEW);
        canvas.setAccessibleText("QR code of " + invite.address() + ", for a phone's camera");
        Tooltip.install(canvas, new Tooltip("Scan with a phone to open " + invite.address()));
        return canvas;
    }
}
