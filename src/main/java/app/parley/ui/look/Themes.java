package app.parley.ui.look;

import app.parley.settings.Theme;
import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.beans.value.ObservableValue;
import javafx.scene.Scene;

/**
 * Puts the chosen theme on screen: AtlantaFX's Primer Light or Primer Dark as the application's
 * user-agent stylesheet, with parley.css on top as the scene's stylesheet. parley.css only uses
 * the theme's looked-up colours ({@code -color-fg-default}, {@code -color-bg-subtle}, ...), so
 * it reads well in both.
 */
public final class Themes {
    /** Parley's own stylesheet, layered over the theme. */
    public static final String PARLEY_CSS = Objects.requireNonNull(
                    Themes.class.getResource("/app/parley/ui/parley.css"), "parley.css")
            .toExternalForm();

    private Themes() {}

    /**
     * Styles {@code scene} with parley.css and keeps the application's theme in step with
     * {@code theme}, starting now. Call on the FX thread.
     */
    public static void follow(Scene scene, ObservableValue<Theme> theme) {
        if (!scene.getStylesheets().contains(PARLEY_CSS)) {
            scene.getStylesheets().add(PARLEY_CSS);
        }
        apply(theme.getValue());
        theme.addListener((obs, old, now) -> apply(now));
    }

    /** The user-agent stylesheet of {@code theme}. */
    public static String stylesheet(Theme theme) {
        return theme == Theme.DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet();
    }

    private static void apply(Theme theme) {
        Application.setUserAgentStylesheet(stylesheet(theme));
    }
}
