package app.parley.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the callbacks the history and sync threads call, so one failing callback cannot stop either thread. */
final class Callbacks {
    /** Logged under {@link History}, where these failures have always been reported. */
    private static final Logger LOG = LoggerFactory.getLogger(History.class);

    private Callbacks() {}

    /** What runs here routes and acks messages: one failing callback must not stop the thread. */
    static void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("A history callback failed", e);
        }
    }
}
