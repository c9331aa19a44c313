package app.parley.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which Redis joins the hosts into one cluster, as {@code --cluster} names it:
 * {@code redis://[user@]host[:port][/db]}, or {@code rediss://} for TLS. The password is never
 * part of it: it comes from {@code REDISCLI_AUTH}, as for {@code redis-cli}, so it stays out of
 * the process list and shell history.
 *
 * <p>Over TLS the server's certificate is always verified, its name included: against Java's
 * trusted authorities, or against the PEM file {@code ?cacert=PATH} names (redis-cli's
 * {@code --cacert}), as a Redis with a certificate of its own organisation's needs.
 *
 * @param user          the ACL user, or null for Redis's default user
 * @param password      from the environment, or null when Redis asks for none
 * @param database      the logical database the stream lives in (0 unless the URL names one)
 * @param caCertificate the authorities trusted for a TLS Redis (PEM), or null for Java's own
 */
public record ClusterTarget(
        String host, int port, int database, boolean tls, String user, String password, Path caCertificate) {
    public static final int DEFAULT_PORT = 6379;
    /** Where the password comes from: the variable {@code redis-cli} reads. */
    public static final String PASSWORD_VARIABLE = "REDISCLI_AUTH";

    public ClusterTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--cluster needs a Redis host, e.g. " + example());
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Redis port must be 1 to 65535, not " + port);
        }
        if (database < 0) {
            throw new IllegalArgumentException("the Redis database is a number from 0, not " + database);
        }
        if (caCertificate != null && !tls) {
            throw new IllegalArgumentException("--cluster: cacert is for TLS; use rediss:// with it");
        }
    }

    /** A target with Java's own trusted authorities. */
    public ClusterTarget(String host, int port, int database, boolean tls, String user, String password) {
        this(host, port, database, tls, user, password, null);
    }

    /**
     * Reads a {@code --cluster} URL; the password, if any, from {@code environment}.
     *
     * @throws IllegalArgumentException with a reason for the person who typed it; a password in
     *                                  the URL is refused
     */
    public static ClusterTarget parse(String url, Map<String, String> environment) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--cluster needs a URL such as " + example() + ", not \"" + url + "\"");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException(
                    "--cluster takes a redis:// or rediss:// URL such as " + example() + ", not \"" + url + "\"");
        }
        String user = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            if (info.contains(":")) {
                throw new IllegalArgumentException("--cluster: no password in the URL (it would show in the"
                        + " process list); put it in " + PASSWORD_VARIABLE);
            }
            user = info.isEmpty() ? null : URLDecoder.decode(info, StandardCharsets.UTF_8);
        }
        int database = 0;
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--cluster: the path is the Redis database number, e.g. /0, not \"" + path + "\"");
            }
        }
        Path caCertificate = caCertificate(uri.getRawQuery());
        String password = environment.get(PASSWORD_VARIABLE);
        return new ClusterTarget(
                uri.getHost(),
                uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(),
                database,
                scheme.equals("rediss"),
                user,
                password == null || password.isEmpty() ? null : password,
                caCertificate);
    }

    /** The one option after {@code ?}: {@code cacert=PATH}, a readable file. */
    private static Path caCertificate(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        if (!rawQuery.startsWith("cacert=") || rawQuery.contains("&")) {
            throw new IllegalArgumentException(
                    "--cluster takes one option after ?, cacert=PATH (rediss:// only), not \"" + rawQuery + "\"");
        }
        String file = URLDecoder.decode(rawQuery.substring("cacert=".length()), StandardCharsets.UTF_8);
        Path path = Path.of(file);
        if (file.isBlank() || !Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("--cluster: cacert " + file + " is not a readable file");
        }
        return path.toAbsolutePath();
    }

    public static String example() {
        return "redis://10.0.0.5:6379";
    }

    /** The URL as given, for logs and the check: never the password. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port
                + (database == 0 ? "" : "/" + database) + (caCertificate == null ? "" : "?cacert=" + caCertificate);
    }
}
