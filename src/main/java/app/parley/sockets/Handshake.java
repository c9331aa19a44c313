package app.parley.sockets;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a socket's connection said when it opened (Node: {@code socket.handshake}).
 *
 * @param headers the opening request's headers, names in lower case, repeated ones joined by
 *                {@code ", "}
 * @param query   the opening request's query parameters (each name's values in order)
 * @param url     the opening request's path and query
 * @param time    when the connection opened
 * @param secure  whether it came over TLS
 * @param auth    the CONNECT's {@code auth} payload with every secret value replaced (see
 *                {@link SocketRecorder}); empty when none was sent
 */
public record Handshake(
        Map<String, String> headers,
        Map<String, List<String>> query,
        String url,
        Instant time,
        boolean secure,
        Map<String, Object> auth) {
    public Handshake {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        auth = auth == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auth));
    }
}
