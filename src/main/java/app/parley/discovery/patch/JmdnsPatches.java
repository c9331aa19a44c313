package app.parley.discovery.patch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import javax.jmdns.JmDNS;
import javax.jmdns.impl.DNSTaskStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs {@link PromptTasks}, JmDNS's task starter with RFC 6762's timings and daemon timers, for
 * every responder this JVM opens, once and only on the JmDNS version it was written against.
 */
public final class JmdnsPatches {
    /** The JmDNS version this patch was written against. */
    public static final String WRITTEN_AGAINST = "3.6.3";

    private static final Logger LOG = LoggerFactory.getLogger(JmdnsPatches.class);
    private static final String POM_PROPERTIES = "/META-INF/maven/org.jmdns/jmdns/pom.properties";
    private static volatile Boolean enabled;

    private JmdnsPatches() {}

    /** Whether the patch applies: only on the version it was written against. */
    public static boolean enabled() {
        Boolean on = enabled;
        if (on == null) {
            synchronized (JmdnsPatches.class) {
                if (enabled == null) {
                    enabled = check(versionOnClassPath());
                }
                on = enabled;
            }
        }
        return on;
    }

    static boolean check(String found) {
        if (WRITTEN_AGAINST.equals(found)) {
            return true;
        }
        LOG.warn(
                "Parley's discovery was written against JmDNS {} but {} is on the class path; a host that"
                        + " stops may stay listed for a few more seconds (see app.parley.discovery.patch)",
                WRITTEN_AGAINST,
                found == null ? "an unknown version" : found);
        return false;
    }

    /**
     * Call before opening a responder. Idempotent; on another JmDNS version it does nothing, and
     * hosts are then heard about four seconds after they start and dropped up to eleven after
     * their goodbye.
     */
    public static void install() {
        if (enabled() && DNSTaskStarter.Factory.classDelegate() == null) {
            DNSTaskStarter.Factory.setClassDelegate(PromptTasks::new);
        }
    }

    static String versionOnClassPath() {
        URL pom = JmDNS.class.getResource(POM_PROPERTIES);
        Properties properties = new Properties();
        if (pom != null) {
            try (InputStream in = pom.openStream()) {
                properties.load(in);
            } catch (IOException e) {
                LOG.debug("could not read {}", pom, e);
            }
        }
        return properties.getProperty("version");
    }
}
