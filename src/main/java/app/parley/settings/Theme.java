package app.parley.settings;

import java.util.Locale;

/** The window's colour scheme, as remembered in {@code settings.properties}. */
public enum Theme {
    LIGHT,
    DARK;

    /** How the theme is written in the settings file: {@code light} or {@code dark}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The theme written as {@code key}; {@link #LIGHT} for anything else, a missing key included. */
    public static Theme fromKey(String key) {
        return "dark".equalsIgnoreCase(key == null ? "" : key.strip()) ? DARK : LIGHT;
    }

    public Theme other() {
        return this == LIGHT ? DARK : LIGHT;
    }
}
