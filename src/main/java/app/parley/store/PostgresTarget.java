package app.parley.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which PostgreSQL database keeps the history, as {@code --store} names it, e.g.
 * {@code postgresql://db.example:5432/parley?user=parley&sslmode=require}. The password is never
 * part of it: it comes from {@code PGPASSWORD} or the password file ({@link PgPass}), as for
 * {@code psql}, so it stays out of the process list and shell history.
 *
 * @param host     host name or address
 * @param port     TCP port (5432 when the URL names none)
 * @param database database name
 * @param user     role to log in as
 * @param sslMode  libpq's {@code sslmode}: disable, allow, prefer (the default), require,
 *                 verify-ca or verify-full
 */
public record PostgresTarget(String host, int port, String database, String user, String sslMode) {
    public static final int DEFAULT_PORT = 5432;
    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public PostgresTarget {
        if (host == null || host.isBlank() || database == null || database.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL store needs a host and a database");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL store needs a user, e.g. ?user=parley");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("PostgreSQL port must be 1 to 65535, not " + port);
        }
        sslMode = sslMode == null ? "prefer" : sslMode;
        if (!SSL_MODES.contains(sslMode)) {
            throw new IllegalArgumentException(
                    "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, not " + sslMode);
        }
    }

    /**
     * Reads a {@code postgresql://host[:port]/database?user=NAME[&sslmode=MODE]} URL (also
     * {@code postgres://} and {@code postgresql://NAME@host/...}, as libpq takes them).
     *
     * @throws IllegalArgumentException with a reason for the person who typed it; a password in
     *                                  the URL is refused
     */
    public static PostgresTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--store needs a URL such as " + example() + ", not \"" + url + "\"");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("--store takes a postgresql:// URL such as " + example()
                    + " (without it the host keeps its history in SQLite)");
        }
        String user = null;
        if (uri.getRawUserInfo() != null) {
            if (uri.getRawUserInfo().contains(":")) {
                throw passwordRefused();
            }
            user = decode(uri.getRawUserInfo());
        }
        Map<String, String> query = query(uri.getRawQuery());
        if (query.containsKey("password")) {
            throw passwordRefused();
        }
        for (String key : query.keySet()) {
            if (!key.equals("user") && !key.equals("sslmode")) {
                throw new IllegalArgumentException(
                        "--store understands the parameters user and sslmode, not \"" + key + "\"");
            }
        }
        user = query.getOrDefault("user", user);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (uri.getHost() == null || database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("--store needs a host and a database, e.g. " + example());
        }
        try {
            return new PostgresTarget(
                    uri.getHost().startsWith("[")
                            ? uri.getHost().substring(1, uri.getHost().length() - 1)
                            : uri.getHost(),
                    uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                    database,
                    user,
                    query.get("sslmode"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--store " + url + ": " + e.getMessage());
        }
    }

    /** The URL again, as {@link #parse} reads it (there is no password to leave out). */
    @Override
    public String toString() {
        return "postgresql://" + literalHost() + ":" + port + "/" + encode(database) + "?user=" + encode(user)
                + ("prefer".equals(sslMode) ? "" : "&sslmode=" + sslMode);
    }

    /** For messages: who connects where. */
    String describe() {
        return "PostgreSQL database " + database + " at " + literalHost() + ":" + port + " (user " + user + ")";
    }

    /** pgjdbc's URL: host, port and database; the rest goes as properties. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + literalHost() + ":" + port + "/" + encode(database);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An IPv6 address in brackets, as URLs write it. */
    private String literalHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static IllegalArgumentException passwordRefused() {
        return new IllegalArgumentException("--store must not carry a password: a command line is visible to every"
                + " user of this machine (ps) and stays in shell history. Set PGPASSWORD in the host's"
                + " environment or put it in ~/.pgpass (host:port:database:user:password, chmod 600), as for psql");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            values.put(key, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return values;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String example() {
        return "postgresql://db-host:5432/parley?user=parley";
    }
}
