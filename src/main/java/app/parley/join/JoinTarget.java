package app.parley.join;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Turns what a person typed into a server URL, or says clearly why it is not one. */
public final class JoinTarget {
    private JoinTarget() {}

    /**
     * Accepts {@code http://host:port}, {@code https://...}, {@code ws://...}, {@code wss://...}
     * or a bare {@code host:port} (taken as http).
     *
     * @throws IllegalArgumentException with a message meant for people
     */
    public static URI parse(String typed) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Enter the address of a host, for example http://192.168.1.20:3000");
        }
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + typed.strip() + "\" is not a valid address: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String httpScheme = switch (scheme) {
            case "http", "ws" -> "http";
            case "https", "wss" -> "https";
            default ->
                throw new IllegalArgumentException(
                        "Parley joins http, https, ws or wss addresses, not \"" + scheme + "\"");
        };
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("\"" + typed.strip() + "\" has no host name");
        }
        try {
            return new URI(httpScheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + typed.strip() + "\" is not a valid address: " + e.getReason());
        }
    }
}
