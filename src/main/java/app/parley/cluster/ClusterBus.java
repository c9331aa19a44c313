package app.parley.cluster;

/**
 * This server's line to the others of its cluster. {@link #publish} never blocks: it is called on
 * I/O threads, and what cannot be sent now is queued (bounded) until the broker is back.
 */
public interface ClusterBus extends AutoCloseable {
    /**
     * Tells every other server; a {@link ClusterMessage.Broadcast} this server has already delivered
     * locally.
     *
     * @return completes once Redis has it (exceptionally when it refused it); only waited on at close
     */
    java.util.concurrent.CompletableFuture<Void> publish(ClusterMessage message);

    /** Whether other servers hear this one: false for a single host. */
    boolean clustered();

    @Override
    void close();

    /** A host on its own: nothing to tell anyone. */
    static ClusterBus none() {
        return new ClusterBus() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> publish(ClusterMessage message) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean clustered() {
                return false;
            }

            @Override
            public void close() {}
        };
    }
}
