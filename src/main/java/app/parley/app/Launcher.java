package app.parley.app;

import javafx.application.Application;

/**
 * Parley's entry point. A plain class, not an {@code Application}, so the app starts from a
 * class path jar without the "JavaFX runtime components are missing" check.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        switch (options.mode()) {
            case HELP -> System.out.print(LaunchOptions.USAGE);
            case VERSION -> System.out.println("Parley " + version());
            case SELF_CHECK -> System.exit(SelfCheck.run());
            case CHECK_CLUSTER -> System.exit(ClusterCheck.run(options.store(), options.cluster(), System.out));
            case HOST -> {
                if (options.headless()) {
                    try {
                        System.exit(HeadlessHost.run(options.headlessHostConfig(), options.admin()));
                    } catch (RuntimeException e) {
                        System.err.println(e.getMessage());
                        System.exit(1);
                    }
                } else {
                    launchWindow(options);
                }
            }
            default -> launchWindow(options);
        }
    }

    static String version() {
        String version = Launcher.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    private static void launchWindow(LaunchOptions options) {
        ParleyApp.options = options;
        Renderer.chooseForThisMachine();
        Application.launch(ParleyApp.class);
        // The window has closed and ParleyApp.stop() has finished its work. JmDNS repeats its
        // goodbyes for two seconds on a thread that is not a daemon; the process must not wait.
        System.exit(0);
    }
}
