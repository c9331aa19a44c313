package app.parley.host;

import app.parley.engine.EngineException;
import app.parley.engine.StaticSite;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's browser client: the files under {@code app/parley/web/} on the class path (the page,
 * and socket.io-client's browser bundle the build copies to {@code vendor/socket.io.min.js}), which
 * a host serves at {@code /} on its own port. Read and compressed once per process, on first use.
 */
final class WebClient {
    private static final Logger LOG = LoggerFactory.getLogger(WebClient.class);

    static final String FOLDER = "app/parley/web";
    /** Where the page finds socket.io-client ({@code <script src="vendor/socket.io.min.js">}). */
    static final String SOCKET_IO_BUNDLE = "vendor/socket.io.min.js";

    private static Optional<StaticSite> site;

    private WebClient() {}

    /**
     * The files, or empty (said once in the log) when this build lacks them: a class path without
     * the page or the bundle, e.g. an IDE that skipped Maven's generate-resources.
     */
    static synchronized Optional<StaticSite> site() {
        if (site == null) {
            site = load();
        }
        return site;
    }

    private static Optional<StaticSite> load() {
        try {
            StaticSite files = StaticSite.fromClassPath(WebClient.class.getClassLoader(), FOLDER);
            if (!files.contains(SOCKET_IO_BUNDLE)) {
                LOG.warn(
                        "The web client is not served: {}/{} is missing from this build (Maven copies it at generate-resources)",
                        FOLDER,
                        SOCKET_IO_BUNDLE);
                return Optional.empty();
            }
            return Optional.of(files);
        } catch (EngineException e) {
            LOG.warn("The web client is not served: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
