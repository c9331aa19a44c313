package app.parley.ui.look;

import app.parley.settings.Settings;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * Desktop pop-ups for what a person should not miss (a direct message, a mention) while they
 * are looking at another window. Silent while the owner window has the focus, since they see
 * the line arrive anyway, and while muted; the mute choice is remembered in {@link Settings}.
 */
public final class Notifier {
    /** How long a pop-up stays up. */
    static final Duration SHOWN_FOR = Duration.seconds(6);

    /** What one pop-up says. */
    record Popup(String title, String text) {}

    private final BooleanSupplier ownerFocused;
    private final Consumer<Popup> presenter;
    private final BooleanProperty muted;

    /** Pop-ups over {@code owner}, styled by the owner's theme (parley.css). */
    public Notifier(Window owner, Settings settings) {
        this(owner::isFocused, settings, popup -> show(owner, popup));
    }

    /**
     * @param ownerFocused whether the person is looking at the window right now
     * @param presenter    shows a pop-up (tests count them instead)
     */
    Notifier(BooleanSupplier ownerFocused, Settings settings, Consumer<Popup> presenter) {
        this.ownerFocused = Objects.requireNonNull(ownerFocused, "ownerFocused");
        this.presenter = Objects.requireNonNull(presenter, "presenter");
        muted = new SimpleBooleanProperty(this, "muted", settings.muted());
        muted.addListener((obs, old, now) -> settings.setMuted(now));
    }

    /** True when no pop-up should show; saved on every change. */
    public BooleanProperty mutedProperty() {
        return muted;
    }

    /**
     * Shows a pop-up with {@code title} and {@code text} unless the owner window has the focus or
     * notifications are muted. Call on the FX thread.
     */
    public void notify(String title, String text) {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("Notifier.notify must be called on the FX thread");
        }
        if (muted.get() || ownerFocused.getAsBoolean()) {
            return;
        }
        presenter.accept(new Popup(title, text));
    }

    /** The real pop-up: a ControlsFX notification in the corner of the owner's screen. */
    static void show(Window owner, Popup popup) {
        Notifications.create()
                .owner(owner)
                .title(popup.title())
                .text(popup.text())
                .hideAfter(SHOWN_FOR)
                .show();
    }
}
