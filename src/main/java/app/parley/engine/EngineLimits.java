package app.parley.engine;

/**
 * What one peer may take from the engine. Past a limit the peer gets a reason and loses its
 * connection; nobody else notices.
 *
 * @param maxConnections           open TCP connections in all (a polling client holds up to two)
 * @param maxConnectionsPerAddress open TCP connections from one IP address, counted from the moment
 *                                 the connection is accepted, whether or not it ever sends a request
 * @param packetBurst              Engine.IO packets a session may send at once...
 * @param packetsPerSecond         ...and per second after that (a token bucket); far above what a
 *                                 person or a well-behaved client sends, it stops floods only
 * @param headerTimeoutMillis      how long a request's headers may take from its first byte; past
 *                                 it the connection gets {@code 408} and is closed
 * @param idleTimeoutMillis        how long a connection may sit with no request under way and no
 *                                 answer owed to it (a long poll held by the server is not idle,
 *                                 nor is a WebSocket, whose liveness is the Engine.IO ping) before it
 *                                 is closed; also the bound for a whole request, body included
 * @param trustedProxies           the reverse proxies in front of the host (nginx, HAProxy): a
 *                                 connection from one is not held to the per-address limit, and
 *                                 a client's address is the last one its {@code X-Forwarded-For}
 *                                 names ({@link ClientAddress}); empty: no proxy is trusted
 */
public record EngineLimits(
        int maxConnections,
        int maxConnectionsPerAddress,
        int packetBurst,
        int packetsPerSecond,
        long headerTimeoutMillis,
        long idleTimeoutMillis,
        java.util.Set<java.net.InetAddress> trustedProxies) {

    /** Node's {@code headersTimeout} is 60 s; a request's headers are a few hundred bytes. */
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    /** Above the 25 s ping interval, so a polling client's POST connection, used at every pong, stays. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;

    /** 20,000 connections, 256 per address, bursts of 1,000 packets and 500 a second, 10 s and 60 s. */
    public static final EngineLimits DEFAULT = new EngineLimits(20_000, 256, 1_000, 500);

    public EngineLimits {
        if (maxConnections < 1
                || maxConnectionsPerAddress < 1
                || packetBurst < 1
                || packetsPerSecond < 1
                || headerTimeoutMillis < 1
                || idleTimeoutMillis < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        trustedProxies = java.util.Set.copyOf(trustedProxies);
    }

    /** These limits and timeouts, with no proxy trusted. */
    public EngineLimits(
            int maxConnections,
            int maxConnectionsPerAddress,
            int packetBurst,
            int packetsPerSecond,
            long headerTimeoutMillis,
            long idleTimeoutMillis) {
        this(
                maxConnections,
                maxConnectionsPerAddress,
                packetBurst,
                packetsPerSecond,
                headerTimeoutMillis,
                idleTimeoutMillis,
                java.util.Set.of());
    }

    /** These limits with the default timeouts. */
    public EngineLimits(int maxConnections, int maxConnectionsPerAddress, int packetBurst, int packetsPerSecond) {
        this(
                maxConnections,
                maxConnectionsPerAddress,
                packetBurst,
                packetsPerSecond,
                DEFAULT_HEADER_TIMEOUT_MILLIS,
                DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    public EngineLimits withTimeouts(long newHeaderTimeoutMillis, long newIdleTimeoutMillis) {
        return new EngineLimits(
                maxConnections,
                maxConnectionsPerAddress,
                packetBurst,
                packetsPerSecond,
                newHeaderTimeoutMillis,
                newIdleTimeoutMillis,
                trustedProxies);
    }

    /** These limits, trusting {@code proxies} to say who their clients are. */
    public EngineLimits withTrustedProxies(java.util.Set<java.net.InetAddress> proxies) {
        return new EngineLimits(
                maxConnections,
                maxConnectionsPerAddress,
                packetBurst,
                packetsPerSecond,
                headerTimeoutMillis,
                idleTimeoutMillis,
                proxies);
    }
}
