package app.parley.workbench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONObject;

/**
 * Everything a workbench connection is opened with, as the person typed it: the JSON fields stay
 * text, so a saved connection comes back exactly as written. {@link #problems()} says what is wrong.
 *
 * @param name               what the tab and the saved list call it
 * @param url                the server, e.g. {@code http://localhost:3000}
 * @param namespace          e.g. {@code /} or {@code /admin}
 * @param path               the Engine.IO path, {@code /socket.io} by default
 * @param auth               the handshake {@code auth}, a JSON object (nested objects too)
 * @param headers            extra HTTP headers, a flat JSON object
 * @param query              extra query parameters, a flat JSON object
 * @param reconnectDelayMs   the first wait before reconnecting (the library doubles it)
 * @param reconnectAttempts  0 for no limit
 * @param timeoutMs          how long a connection attempt may take
 */
public record ConnectionSpec(
        String name,
        String url,
        String namespace,
        String path,
        String auth,
        String headers,
        String query,
        Transports transports,
        boolean reconnection,
        long reconnectDelayMs,
        int reconnectAttempts,
        long timeoutMs) {

    /** A connection to a server on this computer's port 3000, the tutorials' default. */
    public static ConnectionSpec defaults() {
        return new ConnectionSpec(
                "localhost:3000",
                "http://localhost:3000",
                "/",
                "/socket.io",
                "{}",
                "{}",
                "{}",
                Transports.BOTH,
                true,
                1000,
                0,
                20_000);
    }

    public ConnectionSpec withName(String value) {
        return new ConnectionSpec(
                value,
                url,
                namespace,
                path,
                auth,
                headers,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withUrl(String value) {
        return new ConnectionSpec(
                name,
                value,
                namespace,
                path,
                auth,
                headers,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withNamespace(String value) {
        return new ConnectionSpec(
                name,
                url,
                value,
                path,
                auth,
                headers,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withPath(String value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                value,
                auth,
                headers,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withAuth(String value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                path,
                value,
                headers,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withHeaders(String value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                path,
                auth,
                value,
                query,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withQuery(String value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                path,
                auth,
                headers,
                value,
                transports,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withTransports(Transports value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                path,
                auth,
                headers,
                query,
                value,
                reconnection,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    public ConnectionSpec withReconnection(boolean value) {
        return new ConnectionSpec(
                name,
                url,
                namespace,
                path,
                auth,
                headers,
                query,
                transports,
                value,
                reconnectDelayMs,
                reconnectAttempts,
                timeoutMs);
    }

    /** What is wrong, one line each; empty when it can connect. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        try {
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null || !List.of("http", "https", "ws", "wss").contains(scheme(uri))) {
                problems.add("URL: needs http:// or https:// and a host, e.g. http://localhost:3000");
            }
        } catch (IllegalArgumentException e) {
            problems.add("URL: " + e.getMessage());
        }
        if (!namespace.strip().startsWith("/")) {
            problems.add("Namespace: starts with /, e.g. / or /admin");
        }
        if (!path.strip().startsWith("/")) {
            problems.add("Path: starts with /, e.g. /socket.io");
        }
        add(problems, "Auth", JsonInput.objectProblem(auth));
        add(problems, "Headers", JsonInput.flatObjectProblem(headers));
        add(problems, "Query", JsonInput.flatObjectProblem(query));
        if (reconnectDelayMs < 0 || reconnectAttempts < 0 || timeoutMs <= 0) {
            problems.add("Delay and attempts cannot be negative; the timeout must be positive");
        }
        return problems;
    }

    /** The server's address with the namespace as its path, as {@code IO.socket} takes it. */
    URI socketUri() {
        URI base = URI.create(url.strip());
        String nsp = namespace.strip();
        return base.resolve(nsp.equals("/") ? "/" : nsp);
    }

    JSONObject toJson() {
        return new JSONObject()
                .put("name", name)
                .put("url", url)
                .put("namespace", namespace)
                .put("path", path)
                .put("auth", auth)
                .put("headers", headers)
                .put("query", query)
                .put("transports", transports.name())
                .put("reconnection", reconnection)
                .put("reconnectDelayMs", reconnectDelayMs)
                .put("reconnectAttempts", reconnectAttempts)
                .put("timeoutMs", timeoutMs);
    }

    /** Missing fields take the defaults', so an older or hand-edited file still loads. */
    static ConnectionSpec fromJson(JSONObject json) {
        ConnectionSpec d = defaults();
        return new ConnectionSpec(
                json.optString("name", d.name()),
                json.optString("url", d.url()),
                json.optString("namespace", d.namespace()),
                json.optString("path", d.path()),
                json.optString("auth", d.auth()),
                json.optString("headers", d.headers()),
                json.optString("query", d.query()),
                Transports.byName(json.optString("transports")),
                json.optBoolean("reconnection", d.reconnection()),
                Math.max(0, json.optLong("reconnectDelayMs", d.reconnectDelayMs())),
                Math.max(0, json.optInt("reconnectAttempts", d.reconnectAttempts())),
                Math.max(1, json.optLong("timeoutMs", d.timeoutMs())));
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(List<String> problems, String field, String problem) {
        if (!problem.isEmpty()) {
            problems.add(field + ": " + problem);
        }
    }
}
