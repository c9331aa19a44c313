package app.parley.discovery;

import app.parley.discovery.patch.JmdnsPatches;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening and closing JmDNS responders, one per network. */
final class Responders {
    private static final Logger LOG = LoggerFactory.getLogger(Responders.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Responders() {}

    /**
     * A responder on {@code network}, under a host name of its own ({@code parley-1a2b3c4d.local.})
     * so two responders of one machine never probe against each other. The address carries that
     * name, so JmDNS asks no DNS server for it (a reverse lookup can hang where DNS is broken).
     */
    static JmDNS open(LocalNetwork network) throws IOException {
        JmdnsPatches.install();
        byte[] tag = new byte[4];
        RANDOM.nextBytes(tag);
        String hostName = "parley-" + HexFormat.of().formatHex(tag);
        InetAddress named = InetAddress.getByAddress(hostName, network.address().getAddress());
        return JmDNS.create(named, hostName);
    }

    /**
     * Closes every responder, all at once, each on a daemon thread of its own, and waits at most
     * {@code waitMillis}. Closing one sends its goodbyes at once and repeats them for two seconds
     * (RFC 6762, section 10.1) before its threads end; a caller that cannot wait that long (a
     * window closing) returns while the repeats go on, on daemon threads that never hold the JVM.
     */
    static void closeAll(List<JmDNS> responders, long waitMillis) {
        if (responders.isEmpty()) {
            return;
        }
        CountDownLatch closed = new CountDownLatch(responders.size());
        for (JmDNS responder : responders) {
            Thread closer = new Thread(
                    () -> {
                        try {
                            responder.close();
                        } catch (IOException | RuntimeException e) {
                            LOG.debug("Closing a DNS-SD responder failed", e);
                        } finally {
                            closed.countDown();
                        }
                    },
                    "parley-discovery-close");
            closer.setDaemon(true);
            closer.start();
        }
        try {
            closed.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
