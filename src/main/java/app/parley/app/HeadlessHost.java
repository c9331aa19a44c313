package app.parley.app;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.SessionEvent;
import java.util.concurrent.CountDownLatch;

/** {@code --host --headless}: serve until SIGTERM or Ctrl+C, then stop cleanly. */
final class HeadlessHost {
    private HeadlessHost() {
    }

    static int run(HostConfig config) throws InterruptedException {
        HostServer server = new HostServer(config);
        server.addListener(event -> {
            if (event instanceof SessionEvent.CustomEventReceived custom) {
                System.out.println("event " + custom.name() + " " + custom.args() + " from " + custom.source());
            } else if (event instanceof SessionEvent.Notice notice) {
                System.out.println(notice.text());
            }
        });
        int port = server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-shutdown"));
        for (String address : app.parley.host.HostSession.addressesFor(config, port)) {
            System.out.println("Parley host listening on " + address);
        }
        server.tlsFingerprint().ifPresent(print -> System.out.println(
                "TLS certificate fingerprint (SHA-256), for joiners to compare: " + print));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
