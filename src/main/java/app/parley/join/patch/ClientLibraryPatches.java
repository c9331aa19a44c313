package app.parley.join.patch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The socket.io-client-java version the client's patches were written against, and whether they
 * are on: on any other version the client logs once and runs the library unpatched.
 */
public final class ClientLibraryPatches {

    /** The socket.io-client-java version every patch in this package was written against. */
    public static final String WRITTEN_AGAINST = "2.1.2";

    private static final Logger LOG = Logger.getLogger(ClientLibraryPatches.class.getName());
    private static final String POM_PROPERTIES = "/META-INF/maven/io.socket/socket.io-client/pom.properties";
    private static volatile Boolean enabled;

    private ClientLibraryPatches() {}

    /** Whether the patches apply: true only on the version they were written against. */
    public static boolean enabled() {
        Boolean on = enabled;
        if (on == null) {
            synchronized (ClientLibraryPatches.class) {
                if (enabled == null) {
                    enabled = check(versionOnClassPath(), LOG);
                }
                on = enabled;
            }
        }
        return on;
    }

    static boolean check(String found, Logger log) {
        if (WRITTEN_AGAINST.equals(found)) {
            return true;
        }
        log.log(
                Level.WARNING,
                "Parley''s client was written against socket.io-client-java {0} but {1}"
                        + " is on the class path; running it unpatched (see app.parley.join.patch)",
                new Object[] {WRITTEN_AGAINST, found == null ? "an unknown version" : found});
        return false;
    }

    static String versionOnClassPath() {
        URL pom = io.socket.client.IO.class.getResource(POM_PROPERTIES);
        Properties properties = new Properties();
        if (pom != null) {
            try (InputStream in = pom.openStream()) {
                properties.load(in);
            } catch (IOException e) {
                LOG.log(Level.FINE, "could not read " + pom, e);
            }
        }
        return properties.getProperty("version");
    }
}
