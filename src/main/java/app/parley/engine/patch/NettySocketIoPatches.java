package app.parley.engine.patch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;

/**
 * The netty-socketio version the host's patches were written against, and the check that the one
 * on the class path is that version. A host on another version would misbehave in ways no test
 * names, so it refuses to start with one sentence instead.
 */
public final class NettySocketIoPatches {

    /** The netty-socketio version every patch in this package was written against. */
    public static final String WRITTEN_AGAINST = "2.0.14";

    private static final String POM_PROPERTIES =
            "/META-INF/maven/com.corundumstudio.socketio/netty-socketio/pom.properties";

    private NettySocketIoPatches() {}

    /** Throws unless the netty-socketio on the class path is the version the patches expect. */
    public static void requireWrittenAgainstVersion() {
        requireVersion(versionOnClassPath());
    }

    static void requireVersion(String found) {
        if (!WRITTEN_AGAINST.equals(found)) {
            throw new IllegalStateException(
                    "Parley's host was written against netty-socketio " + WRITTEN_AGAINST + " but "
                            + Objects.requireNonNullElse(found, "an unknown version")
                            + " is on the class path; see app.parley.engine.patch");
        }
    }

    /** The version in the netty-socketio jar's pom.properties, or null when it carries none. */
    static String versionOnClassPath() {
        return LibraryVersion.read(com.corundumstudio.socketio.SocketIOServer.class, POM_PROPERTIES);
    }

    static final class LibraryVersion {
        private LibraryVersion() {}

        static String read(Class<?> fromLibrary, String pomProperties) {
            try (InputStream in = fromLibrary.getResourceAsStream(pomProperties)) {
                if (in == null) {
                    return null;
                }
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            } catch (IOException e) {
                return null;
            }
        }
    }
}
