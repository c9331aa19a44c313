package app.parley.session;

import java.util.Objects;

/**
 * A Parley host that announced itself on this network (DNS-SD {@code _parley._tcp}). Every field
 * came from the network: the discovery side has already cleaned it (length, control and bidi
 * characters) and the view shows it as text only.
 *
 * @param key         stable while the host runs (its DNS-SD instance name), so a repeated
 *                    {@link NearbyEvent.Found} updates the row instead of adding one
 * @param name        the session's name as advertised, for people
 * @param host        the numeric address it was seen on (IPv4 or IPv6, without brackets)
 * @param port        the host's Socket.IO port
 * @param tls         whether it serves {@code https}/{@code wss}
 * @param fingerprint the SHA-256 fingerprint of its TLS certificate (hex, as advertised), or {@code ""}
 * @param password    whether joining needs a password
 * @param web         whether it serves the browser page
 * @param version     the Parley version it advertised, or {@code ""}
 */
public record NearbySession(
        String key,
        String name,
        String host,
        int port,
        boolean tls,
        String fingerprint,
        boolean password,
        boolean web,
        String version) {
    public NearbySession {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        fingerprint = fingerprint == null ? "" : fingerprint;
        version = version == null ? "" : version;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The address a person could type to join it, e.g. {@code http://192.168.1.20:3000}. */
    public String address() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + shownHost + ":" + port;
    }
}
