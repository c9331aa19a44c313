package app.parley.engine;

/**
 * What one peer may take from the engine. Past a limit the peer gets a reason and loses its
 * connection; nobody else notices.
 *
 * @param maxConnections           open TCP connections in all (a polling client holds up to two)
 * @param maxConnectionsPerAddress open TCP connections from one IP address
 * @param packetBurst              Engine.IO packets a session may send at once...
 * @param packetsPerSecond         ...and per second after that (a token bucket); far above what a
 *                                 person or a well-behaved client sends, it stops floods only
 */
public record EngineLimits(int maxConnections, int maxConnectionsPerAddress, int packetBurst, int packetsPerSecond) {

    /** 20,000 connections, 256 per address, bursts of 1,000 packets and 500 a second. */
    public static final EngineLimits DEFAULT = new EngineLimits(20_000, 256, 1_000, 500);

    public EngineLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || packetBurst < 1 || packetsPerSecond < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
