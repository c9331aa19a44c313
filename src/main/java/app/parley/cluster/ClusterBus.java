package app.parley.cluster;

/**
 * This server's line to the others of its cluster. {@link #publish} never blocks: it is called on
 * I/O threads, and what cannot be sent now is queued (bounded) until the broker is back.
 */
public interface ClusterBus extends AutoCloseable {
    /** Tells every other server; a {@link ClusterMessage.Broadcast} this server has already delivered locally. */
    void publish(ClusterMessage message);

    /** Whether other servers hear this one: false for a single host. */
    boolean clustered();

    @Override
    void close();

    /** A host on its own: nothing to tell anyone. */
    static ClusterBus none() {
        return new ClusterBus() {
            @Override
            public void publish(ClusterMessage message) {}

            @Override
            public boolean clustered() {
                return false;
            }

            @Override
            public void close() {}
        };
    }
}
