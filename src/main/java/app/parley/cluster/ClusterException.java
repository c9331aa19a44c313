package app.parley.cluster;

/** The cluster's Redis cannot be used; the message says why, for the person starting the host. */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
