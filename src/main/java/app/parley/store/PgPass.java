package app.parley.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL password, found where libpq (and so {@code psql}) looks: {@code PGPASSWORD},
 * else the password file ({@code PGPASSFILE}, else {@code ~/.pgpass}; on Windows
 * {@code %APPDATA%\postgresql\pgpass.conf}). pgjdbc reads neither {@code PGPASSWORD} nor checks
 * the file's permissions, so Parley does this itself and hands pgjdbc the password.
 *
 * <p>The file's lines are {@code host:port:database:user:password}; each of the first four may be
 * {@code *} for any; {@code \:} and {@code \\} stand for a colon and a backslash; lines starting
 * with {@code #} are comments; the first matching line wins. On Unix a file that its group or
 * others may read is refused, as libpq refuses it (libpq then only warns; Parley stops, because
 * pgjdbc would read that file by itself).
 */
final class PgPass {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PgPass() {}

    /** The password for {@code target} from this process's environment and home, if any. */
    static Optional<String> password(PostgresTarget target) {
        return password(target, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * @throws StoreException when the password file is readable by others or cannot be read
     */
    static Optional<String> password(PostgresTarget target, Map<String, String> env, Path home) {
        String fromEnvironment = env.get("PGPASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Optional.of(fromEnvironment);
        }
        Path file = file(env, home);
        if (!Files.isRegularFile(file)) {
            return Optional.empty(); // libpq ignores a missing file, and anything that is not a file
        }
        checkPrivate(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("Cannot read the PostgreSQL password file " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            Optional<String> password =
                    match(line, target.host(), String.valueOf(target.port()), target.database(), target.user());
            if (password.isPresent()) {
                return password;
            }
        }
        return Optional.empty();
    }

    static Path file(Map<String, String> env, Path home) {
        String named = env.get("PGPASSFILE");
        if (named != null && !named.isEmpty()) {
            return Path.of(named);
        }
        String appData = env.get("APPDATA");
        if (isWindows() && appData != null) {
            return Path.of(appData, "postgresql", "pgpass.conf");
        }
        return home.resolve(".pgpass");
    }

    private static void checkPrivate(Path file) {
        PosixFileAttributeView posix =
                Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix == null || isWindows()) {
            return; // libpq checks no permissions on Windows either
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new StoreException("Cannot read the PostgreSQL password file " + file + ": " + e.getMessage(), e);
        }
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new StoreException("The PostgreSQL password file " + file + " may be read by other users of this"
                    + " machine; make it yours alone with: chmod 600 " + file);
        }
    }

    /** libpq's {@code passwordFromFile}: the password of a matching line, unescaped up to its first bare colon. */
    static Optional<String> match(String line, String host, String port, String database, String user) {
        if (line.startsWith("#") || line.isEmpty()) {
            return Optional.empty();
        }
        int at = 0;
        for (String wanted : new String[] {host, port, database, user}) {
            at = field(line, at, wanted);
            if (at < 0) {
                return Optional.empty();
            }
        }
        StringBuilder password = new StringBuilder();
        for (int i = at; i < line.length() && line.charAt(i) != ':'; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                i++;
            }
            password.append(line.charAt(i));
        }
        return Optional.of(password.toString());
    }

    /** Where the next field starts when the field at {@code at} matches {@code wanted} (or is {@code *}), else -1. */
    private static int field(String line, int at, String wanted) {
        if (line.startsWith("*:", at)) {
            return at + 2;
        }
        int matched = 0;
        boolean escaped = false;
        for (int i = at; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && !escaped) {
                escaped = true;
                continue;
            }
            if (c == ':' && !escaped) {
                return matched == wanted.length() ? i + 1 : -1;
            }
            escaped = false;
            if (matched >= wanted.length() || c != wanted.charAt(matched)) {
                return -1;
            }
            matched++;
        }
        return -1;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
