package app.parley.settings;

import app.parley.protocol.WireRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Parley remembers between runs for this person: nickname, theme, whether notifications are
 * muted, whether and as what a hosted session is announced on the network, the sessions recently
 * joined, and the installation's secret user key. Kept in a small properties file
 * ({@code settings.properties} in the data directory the app hands in).
 *
 * <p>Loading never fails: a missing, unreadable or corrupt file gives the defaults (a corrupt one
 * is kept aside as {@code settings.properties.bad}). Every change is written at once, through the
 * {@code writer} executor, as a whole new file moved over the old one, so a crash mid-write never
 * leaves half a file.
 *
 * <pre>{@code
 * Settings settings = Settings.load(Settings.defaultFile(), background);
 * settings.setTheme(Theme.DARK);   // saved on the background executor
 * }</pre>
 */
public final class Settings {
    /** The file's name inside the data directory. */
    public static final String FILE_NAME = "settings.properties";
    /** Used when the operating system's user name is not a valid nickname. */
    static final String FALLBACK_NICKNAME = "Guest";

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);
    private static final String NICKNAME = "nickname";
    private static final String THEME = "theme";
    private static final String MUTED = "muted";
    private static final String USER_KEY = "userKey";
    private static final String ADVERTISE = "advertise";
    private static final String SESSION_NAME = "sessionName";
    private static final int USER_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Executor writer;
    private String nickname;
    private Theme theme;
    private boolean muted;
    private boolean advertise;
    private String sessionName;
    private List<RecentSession> recent;
    private final String userKey;

    private Settings(Path file, Executor writer, Properties stored, String userKey) {
        this.file = file;
        this.writer = writer;
        String name = stored.getProperty(NICKNAME);
        this.nickname = name == null ? defaultNickname() : name;
        this.theme = Theme.fromKey(stored.getProperty(THEME));
        this.muted = Boolean.parseBoolean(stored.getProperty(MUTED));
        // On unless switched off: only "false" is off, so an odd value errs towards being found.
        this.advertise = !"false".equals(stored.getProperty(ADVERTISE));
        this.sessionName = stored.getProperty(SESSION_NAME, "");
        this.recent = RecentSession.read(stored);
        this.userKey = userKey;
    }

    /** Loads {@code file}, writing changes on the calling thread (for tests and the command line). */
    public static Settings load(Path file) {
        return load(file, Runnable::run);
    }

    /**
     * Loads {@code file}; the first load makes the user key and saves it at once.
     *
     * @param writer where the file is written after each change (a background executor in the app)
     */
    public static Settings load(Path file, Executor writer) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(writer, "writer");
        Properties stored = read(file);
        String key = stored.getProperty(USER_KEY);
        boolean newKey = !isUserKey(key);
        if (newKey) {
            key = newUserKey();
        }
        Settings settings = new Settings(file, writer, stored, key);
        if (newKey) {
            // Written now, on this thread: the key must be on disk before any host sees it.
            settings.write();
        }
        return settings;
    }

    /** The operating system's user name when it makes a valid nickname, else {@value #FALLBACK_NICKNAME}. */
    static String defaultNickname() {
        String user = Normalizer.normalize(System.getProperty("user.name", "").strip(), Normalizer.Form.NFC);
        return WireRules.checkNickname(user).isEmpty() ? user : FALLBACK_NICKNAME;
    }

    public synchronized String nickname() {
        return nickname;
    }

    public synchronized Theme theme() {
        return theme;
    }

    /** Whether desktop notifications are switched off. */
    public synchronized boolean muted() {
        return muted;
    }

    /** The installation's secret: 32 random bytes, base64url without padding. Never changes once made. */
    public String userKey() {
        return userKey;
    }

    /** Whether a hosted session is announced on the local network ("Let others … find this session"). */
    public synchronized boolean advertise() {
        return advertise;
    }

    /** The name a hosted session is announced as; empty for the nickname. */
    public synchronized String sessionName() {
        return sessionName;
    }

    /** Sessions joined, most recent first, at most {@value RecentSession#MAX}, one per address. */
    public synchronized List<RecentSession> recentSessions() {
        return recent;
    }

    public void setNickname(String value) {
        Objects.requireNonNull(value, "nickname");
        synchronized (this) {
            if (value.equals(nickname)) {
                return;
            }
            nickname = value;
        }
        save();
    }

    public void setTheme(Theme value) {
        Objects.requireNonNull(value, "theme");
        synchronized (this) {
            if (value == theme) {
                return;
            }
            theme = value;
        }
        save();
    }

    public void setMuted(boolean value) {
        synchronized (this) {
            if (value == muted) {
                return;
            }
            muted = value;
        }
        save();
    }

    public void setAdvertise(boolean value) {
        synchronized (this) {
            if (value == advertise) {
                return;
            }
            advertise = value;
        }
        save();
    }

    public void setSessionName(String value) {
        Objects.requireNonNull(value, "sessionName");
        synchronized (this) {
            if (value.equals(sessionName)) {
                return;
            }
            sessionName = value;
        }
        save();
    }

    /** Puts a joined session at the top of the recent list, moving it there if it was already in. */
    public void rememberJoined(RecentSession joined) {
        Objects.requireNonNull(joined, "joined");
        synchronized (this) {
            recent = RecentSession.remember(recent, joined);
        }
        save();
    }

    /** Takes the session with this address off the recent list. */
    public void forgetRecent(String address) {
        synchronized (this) {
            List<RecentSession> fewer = RecentSession.forget(recent, address);
            if (fewer.size() == recent.size()) {
                return;
            }
            recent = fewer;
        }
        save();
    }

    private void save() {
        writer.execute(this::write);
    }

    /**
     * Writes what is current when it runs, not when it was asked for: writes that overtake each
     * other on a pool still leave the latest values on disk.
     */
    private synchronized void write() {
        Properties values = new Properties();
        values.setProperty(NICKNAME, nickname);
        values.setProperty(THEME, theme.key());
        values.setProperty(MUTED, Boolean.toString(muted));
        values.setProperty(ADVERTISE, Boolean.toString(advertise));
        values.setProperty(SESSION_NAME, sessionName);
        RecentSession.write(recent, values);
        values.setProperty(USER_KEY, userKey);
        Path temp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                values.store(out, "Parley settings");
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Could not save settings to {}: {}", file, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Left behind only if the move failed and so did this; harmless.
                }
            }
        }
    }

    private static Properties read(Path file) {
        Properties values = new Properties();
        if (!Files.exists(file)) {
            return values;
        }
        try (InputStream in = Files.newInputStream(file)) {
            values.load(in);
            return values;
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed \\uXXXX escape.
            LOG.warn("Settings file {} is unreadable ({}); starting from the defaults", file, e.toString());
            keepAside(file);
            return new Properties();
        }
    }

    private static void keepAside(Path file) {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("Could not keep the unreadable settings file aside", e);
        }
    }

    private static boolean isUserKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(key).length == USER_KEY_BYTES;
        } catch (IllegalArgumentException notBase64Url) {
            return false;
        }
    }

    private static String newUserKey() {
        byte[] bytes = new byte[USER_KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
