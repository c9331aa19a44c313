package app.parley.session;

import java.util.function.Consumer;

/**
 * Sessions advertised on the local network, found as they come and go. Browsing never blocks
 * the caller and never fails loudly: where multicast does not work it simply finds nothing.
 */
public interface NearbySessions extends AutoCloseable {

    /**
     * Starts browsing. Events arrive on a discovery thread, never the FX thread; the listener
     * hands them on. Call at most once.
     */
    void start(Consumer<NearbyEvent> listener);

    /** Stops browsing and ends every thread it started; safe to call more than once. */
    @Override
    void close();

    /** Browsing that finds nothing: for a host bound to loopback, or where discovery is off. */
    NearbySessions NONE = new NearbySessions() {
        @Override
        public void start(Consumer<NearbyEvent> listener) {}

        @Override
        public void close() {}
    };
}
