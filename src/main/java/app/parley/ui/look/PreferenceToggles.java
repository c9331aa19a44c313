package app.parley.ui.look;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;

/**
 * The chat header's switches for window-level choices. They bind to the
 * {@link WindowPreferences} of the scene they are shown in, and stay hidden where there are none.
 */
public final class PreferenceToggles {
    private PreferenceToggles() {}

    /** "Dark theme" in the light theme, "Light theme" in the dark one (id {@code theme-toggle}). */
    public static Button theme() {
        Button button = new Button("Dark theme");
        button.setId("theme-toggle");
        button.setTooltip(new Tooltip("Switch between the light and the dark theme"));
        whenShown(button, preferences -> {
            AppearanceModel appearance = preferences.appearance();
            button.textProperty()
                    .bind(Bindings.when(appearance.darkProperty())
                            .then("Light theme")
                            .otherwise("Dark theme"));
            button.setOnAction(e -> appearance.toggleTheme());
        });
        return button;
    }

    /** "Mute" while notifications pop up, "Unmute" while they do not (id {@code mute-toggle}). */
    public static ToggleButton mute() {
        ToggleButton button = new ToggleButton("Mute");
        button.setId("mute-toggle");
        button.setTooltip(new Tooltip("Pop-ups for direct messages and mentions while Parley is in the background"));
        whenShown(button, preferences -> {
            button.selectedProperty().bindBidirectional(preferences.notifier().mutedProperty());
            button.textProperty()
                    .bind(Bindings.when(button.selectedProperty())
                            .then("Unmute")
                            .otherwise("Mute"));
        });
        return button;
    }

    /**
     * Hidden until the scene has preferences to bind to. Never focused by a click either: the
     * composer keeps the focus, and a space typed next does not flip the switch.
     */
    private static void whenShown(Node node, Consumer<WindowPreferences> bind) {
        node.setFocusTraversable(false);
        node.setVisible(false);
        node.setManaged(false);
        node.sceneProperty()
                .addListener((obs, old, scene) -> WindowPreferences.of(scene).ifPresent(preferences -> {
                    bind.accept(preferences);
                    node.setVisible(true);
                    node.setManaged(true);
                }));
    }
}
