package app.parley.ui.look;

import app.parley.settings.Settings;
import app.parley.settings.Theme;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The window's look, as a choice views bind to: the theme, remembered in {@link Settings}.
 * {@link Themes} applies it; views only flip it.
 */
public final class AppearanceModel {
    // Properties //
    private final ObjectProperty<Theme> theme;
    private final BooleanProperty dark;

    /** Starts from the remembered theme and saves every change back to {@code settings}. */
    public AppearanceModel(Settings settings) {
        theme = new SimpleObjectProperty<>(this, "theme", settings.theme());
        dark = new SimpleBooleanProperty(this, "dark", settings.theme() == Theme.DARK);
        theme.addListener((obs, old, now) -> {
            if (now == null) {
                theme.set(old); // there is always a theme
                return;
            }
            dark.set(now == Theme.DARK);
            settings.setTheme(now);
        });
        dark.addListener((obs, old, now) -> theme.set(now ? Theme.DARK : Theme.LIGHT));
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** The same choice as a yes/no, for a check box; kept in step with {@link #themeProperty()}. */
    public BooleanProperty darkProperty() {
        return dark;
    }

    // Commands //

    /** Light to dark, dark to light. */
    public void toggleTheme() {
        theme.set(theme.get().other());
    }
}
