package app.parley.join;

import app.parley.session.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link ClientConnection.Options}; what is not set keeps its default.
 *
 * <pre>{@code
 * ClientConnection.Options.builder().transports("websocket").password(password).identity(me).build()
 * }</pre>
 */
public final class OptionsBuilder {
    private List<String> transports = List.of("polling", "websocket");
    private final Map<String, List<String>> extraHeaders = new LinkedHashMap<>();
    private boolean reconnect = true;
    private final Map<String, String> auth = new LinkedHashMap<>();
    private Path knownHosts;
    private Path outboxes;
    private String pinnedFingerprint;
    private String advertisedFingerprint;
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration deliveryDeadline = ClientConnection.DELIVERY_DEADLINE;

    OptionsBuilder() {}

    public OptionsBuilder transports(String... names) {
        transports = List.of(names);
        return this;
    }

    /**
     * The first wait before reconnecting; each failed attempt doubles it up to
     * {@link ReconnectSchedule#MAX_BACKOFF}, and every wait is jittered by ±50 % so clients of a
     * restarted host do not all come back at once.
     */
    public OptionsBuilder reconnectDelay(Duration first) {
        reconnectDelay = first;
        return this;
    }

    /** A lost connection stays lost (the status says why) instead of being retried. */
    public OptionsBuilder withoutReconnect() {
        reconnect = false;
        return this;
    }

    /** How long a message may wait for the host's ack before it is reported failed (with Retry). */
    public OptionsBuilder deliveryDeadline(Duration deadline) {
        deliveryDeadline = deadline;
        return this;
    }

    public OptionsBuilder header(String name, String value) {
        extraHeaders.put(name, List.of(value));
        return this;
    }

    /** Sends {@code password} as {@code auth.password}; blank means none. */
    public OptionsBuilder password(String password) {
        if (password != null && !password.isEmpty()) {
            auth.put("password", password);
        }
        return this;
    }

    /** Remembers TLS hosts' fingerprints in this file; without one, a TLS host needs a pinned fingerprint. */
    public OptionsBuilder knownHosts(Path file) {
        knownHosts = file;
        return this;
    }

    /** Keeps unacked messages in a file per host and user in this folder; without one they live in memory only. */
    public OptionsBuilder outboxes(Path folder) {
        outboxes = folder;
        return this;
    }

    /**
     * Sends the nickname as {@code auth.name} (when not blank) and the user key as
     * {@code auth.user}; a Parley host grants the name or a free variant of it. Null sends neither.
     */
    public OptionsBuilder identity(Identity identity) {
        if (identity != null) {
            auth.put("user", identity.userKey());
            if (!identity.name().isBlank()) {
                auth.put("name", identity.name());
            }
        }
        return this;
    }

    /** Accepts exactly this TLS certificate (the host joining itself knows its own); null for none. */
    public OptionsBuilder pinnedFingerprint(String fingerprint) {
        pinnedFingerprint = fingerprint;
        return this;
    }

    /**
     * The TLS fingerprint the host announced on the local network; null for none. A certificate
     * already remembered for the address (known hosts) still decides; else the host must present
     * this one, and it is then remembered as on first use.
     */
    public OptionsBuilder advertisedFingerprint(String fingerprint) {
        advertisedFingerprint = fingerprint;
        return this;
    }

    public ClientConnection.Options build() {
        return new ClientConnection.Options(
                transports,
                Map.copyOf(extraHeaders),
                reconnect,
                Map.copyOf(auth),
                knownHosts,
                outboxes,
                pinnedFingerprint,
                advertisedFingerprint,
                reconnectDelay,
                deliveryDeadline);
    }
}
