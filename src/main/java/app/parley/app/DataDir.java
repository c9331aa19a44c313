package app.parley.app;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Parley keeps its files for this user: certificates, known hosts, history, outbox, settings.
 * Only {@code app} knows it; it hands each part the paths it needs.
 */
public final class DataDir {
    private DataDir() {}

    /**
     * {@code $PARLEY_DATA_DIR} when set; else {@code $XDG_DATA_HOME/parley} or
     * {@code ~/.local/share/parley} on Linux, {@code %APPDATA%\Parley} on Windows,
     * {@code ~/Library/Application Support/Parley} on macOS.
     */
    public static Path get() {
        String override = System.getenv("PARLEY_DATA_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.startsWith("windows")) {
            String appData = System.getenv("APPDATA");
            return appData != null ? Path.of(appData, "Parley") : home.resolve("AppData/Roaming/Parley");
        }
        if (os.contains("mac")) {
            return home.resolve("Library/Application Support/Parley");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("parley");
    }

    /** The host's own TLS certificate and key, made on first use. */
    public static Path hostIdentity() {
        return get().resolve("host-identity.p12");
    }

    /**
     * The conversation history a host on {@code port} keeps (SQLite). One file per port: each
     * port is its own community, and two sessions hosted at once never fight over one file.
     */
    public static Path history(int port) {
        return get().resolve("history-" + port + ".db");
    }

    /** Fingerprints of the TLS hosts joined so far. */
    public static Path knownHosts() {
        return get().resolve("known-hosts");
    }

    /**
     * What the window fetches to show (pictures, under their SHA-256) and pictures pasted into the
     * composer before they are sent. Anything here may be deleted; it is fetched again.
     */
    public static Path fileCache() {
        return get().resolve("file-cache");
    }

    /** Messages written but not yet acked, one file per host and user. */
    public static Path outboxes() {
        return get().resolve("outbox");
    }
}
