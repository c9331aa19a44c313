package app.parley.ui.look;

import java.util.Objects;
import java.util.Optional;
import javafx.scene.Scene;

/**
 * The window-level choices a view may offer switches for (theme, notifications), kept with the
 * scene they apply to. Views built before they are shown find them once they join the scene,
 * so the chat view needs no extra constructor argument for them.
 *
 * <pre>{@code
 * new WindowPreferences(appearance, notifier).install(scene);
 * }</pre>
 */
public record WindowPreferences(AppearanceModel appearance, Notifier notifier) {
    public WindowPreferences {
        Objects.requireNonNull(appearance, "appearance");
        Objects.requireNonNull(notifier, "notifier");
    }

    /** Makes these the preferences of every view shown in {@code scene}. */
    public void install(Scene scene) {
        scene.getProperties().put(WindowPreferences.class, this);
    }

    /** The preferences installed in {@code scene}, if any (a bench or test may show views bare). */
    public static Optional<WindowPreferences> of(Scene scene) {
        return scene == null
                ? Optional.empty()
                : Optional.ofNullable((WindowPreferences) scene.getProperties().get(WindowPreferences.class));
    }
}
