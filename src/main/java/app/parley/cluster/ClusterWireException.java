package app.parley.cluster;

/** A cluster message this version cannot read; it is skipped, and the reason logged once. */
final class ClusterWireException extends Exception {
    private static final long serialVersionUID = 1L;

    ClusterWireException(String reason) {
        super(reason, null, false, false);
    }
}
