package app.parley.app;

import java.util.stream.Stream;

/**
 * The entry point of {@code parley-host}, the installed headless host: {@code parley --host
 * --headless} with the JVM options of a server (jpackage/host-jvm.options) instead of the window's.
 * Every other option of {@code parley --host} works as there.
 */
public final class HostLauncher {
    private HostLauncher() {}

    public static void main(String[] args) throws Exception {
        Launcher.main(arguments(args));
    }

    /** What {@code parley-host ARGS} means: {@code parley --host --headless ARGS}. */
    static String[] arguments(String... args) {
        return Stream.concat(Stream.of("--host", "--headless"), Stream.of(args)).toArray(String[]::new);
    }
}
