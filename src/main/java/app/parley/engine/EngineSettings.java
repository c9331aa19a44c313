package app.parley.engine;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link SocketIoEngine} listens and keeps time. Nothing here knows about chat.
 *
 * @param bindAddress     interface to listen on ({@code 0.0.0.0} for every one)
 * @param port            TCP port, 0 for any free one
 * @param pingIntervalMillis how often the server pings (Engine.IO {@code pingInterval})
 * @param pingTimeoutMillis  how long it waits for the pong after a ping ({@code pingTimeout})
 * @param maxPayload      the largest HTTP body or WebSocket message accepted, in bytes
 *                        ({@code maxPayload} of the open packet)
 * @param connectTimeoutMillis how long a new Engine.IO session may go without a Socket.IO CONNECT
 * @param origins         which browser origins may connect (requests without an {@code Origin}
 *                        header, and a page's requests to its own address, always may)
 * @param originRefused   told of every refused origin (for a log line or a notice)
 * @param limits          connections and packet rates one peer may use
 * @param tls             the certificate to serve {@code https}/{@code wss} with, or null for plain
 *                        {@code http}/{@code ws}
 * @param site            the files served by GET and HEAD on every path that is not an Engine.IO
 *                        endpoint, or null to answer those with 404
 * @param downloads       the files streamed under {@code /files/}, or null for none
 */
public record EngineSettings(
        String bindAddress,
        int port,
        long pingIntervalMillis,
        long pingTimeoutMillis,
        int maxPayload,
        long connectTimeoutMillis,
        OriginPolicy origins,
        Consumer<String> originRefused,
        EngineLimits limits,
        TlsIdentity tls,
        StaticSite site,
        Downloads downloads) {

    /** Node's defaults: a ping every 25 s, 20 s for the pong, 1 MB payloads, 45 s to CONNECT, any origin. */
    public static EngineSettings defaults(String bindAddress, int port) {
        return new EngineSettings(
                bindAddress,
                port,
                25_000,
                20_000,
                1_000_000,
                45_000,
                OriginPolicy.any(),
                origin -> {},
                EngineLimits.DEFAULT,
                null,
                null,
                null);
    }

    public EngineSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(originRefused, "originRefused");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (pingIntervalMillis <= 0 || pingTimeoutMillis <= 0 || maxPayload <= 0 || connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timings and maxPayload must be positive");
        }
    }

    /** The most binary attachments one Socket.IO packet may announce. */
    public int maxAttachments() {
        return 10;
    }

    public EngineSettings withTimings(long newPingInterval, long newPingTimeout, long newConnectTimeout) {
        return new EngineSettings(
                bindAddress,
                port,
                newPingInterval,
                newPingTimeout,
                maxPayload,
                newConnectTimeout,
                origins,
                originRefused,
                limits,
                tls,
                site,
                downloads);
    }

    public EngineSettings withOrigins(OriginPolicy allowed, Consumer<String> refused) {
        return new EngineSettings(
                bindAddress,
                port,
                pingIntervalMillis,
                pingTimeoutMillis,
                maxPayload,
                connectTimeoutMillis,
                allowed,
                refused,
                limits,
                tls,
                site,
                downloads);
    }

    public EngineSettings withLimits(EngineLimits newLimits) {
        return new EngineSettings(
                bindAddress,
                port,
                pingIntervalMillis,
                pingTimeoutMillis,
                maxPayload,
                connectTimeoutMillis,
                origins,
                originRefused,
                newLimits,
                tls,
                site,
                downloads);
    }

    public EngineSettings withTls(TlsIdentity identity) {
        return new EngineSettings(
                bindAddress,
                port,
                pingIntervalMillis,
                pingTimeoutMillis,
                maxPayload,
                connectTimeoutMillis,
                origins,
                originRefused,
                limits,
                identity,
                site,
                downloads);
    }

    /** Serves {@code files} on the paths no endpoint claims (null: none, every such path is 404). */
    public EngineSettings withDownloads(Downloads newDownloads) {
        return new EngineSettings(
                bindAddress,
                port,
                pingIntervalMillis,
                pingTimeoutMillis,
                maxPayload,
                connectTimeoutMillis,
                origins,
                originRefused,
                limits,
                tls,
                site,
                newDownloads);
    }

    public EngineSettings withSite(StaticSite files) {
        return new EngineSettings(
                bindAddress,
                port,
                pingIntervalMillis,
                pingTimeoutMillis,
                maxPayload,
                connectTimeoutMillis,
                origins,
                originRefused,
                limits,
                tls,
                files,
                downloads);
    }
}
