package app.parley.app;

import app.parley.engine.ThrottledLog;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.SessionEvent;
import java.util.concurrent.CountDownLatch;

/**
 * {@code --host --headless}: serve until SIGTERM or Ctrl+C, then stop cleanly. What peers cause
 * (connections, custom events, notices) is printed at a bounded rate, peer data only as a short
 * escaped prefix (docs/PROTOCOL.md §12, "Logging").
 */
final class HeadlessHost {
    private static final ThrottledLog CONNECTIONS = ThrottledLog.printed(System.out, "connections");
    private static final ThrottledLog EVENTS = ThrottledLog.printed(System.out, "custom events");
    private static final ThrottledLog NOTICES = ThrottledLog.printed(System.out, "notices");

    private HeadlessHost() {}

    static int run(HostConfig config) throws InterruptedException {
        return run(config, null);
    }

    /** @param admin who may use the Admin UI on {@code /admin}, or null for nobody */
    static int run(HostConfig config, app.parley.admin.AdminAccount admin) throws InterruptedException {
        HostServer server = new HostServer(config);
        if (admin != null) {
            server.enableAdmin(admin);
        }
        server.addListener(event -> {
            if (event instanceof SessionEvent.CustomEventReceived custom) {
                EVENTS.log("event {} {} from {}", custom.name(), custom.args(), custom.source());
            } else if (event instanceof SessionEvent.ClientConnected connected) {
                CONNECTIONS.log("{} connected", connected.socketId());
            } else if (event instanceof SessionEvent.Notice notice) {
                NOTICES.log(ThrottledLog.escape(notice.text()));
            }
        });
        int port = server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "parley-shutdown"));
        java.util.List<String> addresses = app.parley.host.HostSession.addressesFor(config, port);
        for (String address : addresses) {
            System.out.println("Parley host listening on " + address);
        }
        if (server.servesWebClient() && !addresses.isEmpty()) {
            System.out.println("Guests can open " + addresses.get(0) + " in a browser");
        }
        if (!server.advertisedOn().isEmpty()) {
            System.out.println("Announced on the local network as \""
                    + config.advertising().sessionName() + "\" (" + String.join(", ", server.advertisedOn())
                    + "); --no-advertise turns this off");
        }
        if (admin != null) {
            System.out.println(
                    "Admin UI protocol on " + app.parley.admin.AdminNamespace.NAME + " for user " + admin.user());
        }
        server.tlsFingerprint()
                .ifPresent(print ->
                        System.out.println("TLS certificate fingerprint (SHA-256), for joiners to compare: " + print));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
