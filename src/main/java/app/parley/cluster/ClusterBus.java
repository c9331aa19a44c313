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

    /**
     * The sockets of {@code who} on every other server ({@code fetchSockets}), by server uid, as
     * far as the servers answered within {@code timeout}. Never fails: a server that did not answer
     * is missing from the map.
     */
    default java.util.concurrent.CompletableFuture<java.util.Map<String, java.util.List<java.util.Map<String, Object>>>>
            fetchSockets(Audience who, java.time.Duration timeout) {
        return java.util.concurrent.CompletableFuture.completedFuture(java.util.Map.of());
    }

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
