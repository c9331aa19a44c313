package app.parley.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.Advertising;
import app.parley.session.NearbySession;
import app.parley.testing.NetNamespaces;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Advertiser with real JmDNS on a network of the test's own (a veth cable into a namespace):
 * what it announces is what a Browser reads, close says goodbye, loopback announces nothing, and
 * no JmDNS thread outlives a close.
 */
class AdvertiserTest {
    private static final String FINGERPRINT =
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @Test
    @Timeout(30)
    void announcesItsTxtKeysAndSaysGoodbyeOnClose() throws Exception {
        try (NetNamespaces net = NetNamespaces.cabledToThisProcess()) {
            LocalNetwork network = network(net);
            Sightings seen = new Sightings();
            try (Browser browser = new Browser(() -> List.of(network))) {
                browser.start(seen::record);
                long started = System.nanoTime();
                Advertiser advertiser = Advertiser.start(
                        List.of(network),
                        new Advertiser.Advertisement("Alice's room", 4321, "1.2.3", true, FINGERPRINT, true, false));
                try {
                    assertThat(advertiser.addresses()).containsExactly(net.address(0));
                    NearbySession alice = seen.awaitFound(s -> s.port() == 4321, 5_000);
                    System.out.printf("found %d ms after the advertiser started%n", millisSince(started));
                    assertThat(alice)
                            .isEqualTo(new NearbySession(
                                    "alice's room",
                                    "Alice's room",
                                    net.address(0),
                                    4321,
                                    true,
                                    FINGERPRINT,
                                    true,
                                    false,
                                    "1.2.3"));
                } finally {
                    long closing = System.nanoTime();
                    advertiser.close();
                    assertThat(millisSince(closing))
                            .as("close waits a fraction of a second")
                            .isLessThan(1_000);
                }
                long closed = System.nanoTime();
                seen.awaitLost("alice's room", 5_000);
                System.out.printf("lost %d ms after the advertiser closed%n", millisSince(closed));
            }
            assertNoJmdnsThreadHoldsTheJvm();
        }
    }

    @Test
    void aHostBoundToLoopbackAnnouncesNothing() {
        Advertiser advertiser = Advertiser.start(
                "127.0.0.1", new Advertiser.Advertisement("Bob", 4000, "1", false, null, false, false));
        assertThat(advertiser.addresses()).isEmpty();
        advertiser.close();

        HostServer server = new HostServer(HostConfig.loopback(Set.of()).withAdvertising(new Advertising(true, "Bob")));
        try {
            server.start();
            assertThat(server.advertisedOn()).isEmpty();
        } finally {
            server.close();
        }
    }

    @Test
    void theInstanceNameIsCleanedAndFitsOneDnsLabel() {
        String long64 = "é".repeat(40);
        assertThat(new Advertiser.Advertisement("  ", 1, "", false, null, false, false).instanceName())
                .isEqualTo("Parley");
        assertThat(new Advertiser.Advertisement("a.b\u202Ec\u0007", 1, "", false, null, false, false).instanceName())
                .isEqualTo("a bc\uFFFD");
        assertThat(new Advertiser.Advertisement(long64, 1, "", false, null, false, false)
                        .instanceName()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(63);
        assertThat(new Advertiser.Advertisement("x", 1, "9", false, FINGERPRINT, true, false).text())
                .containsExactly(
                        java.util.Map.entry("v", "9"),
                        java.util.Map.entry("path", "/socket.io/"),
                        java.util.Map.entry("tls", "0"),
                        java.util.Map.entry("pw", "1"),
                        java.util.Map.entry("web", "0"));
    }

    static LocalNetwork network(NetNamespaces net) throws Exception {
        return new LocalNetwork(
                (Inet4Address) InetAddress.getByName(net.address(0)), net.prefixLength(), net.interfaceName(0));
    }

    /** JmDNS threads end shortly after close, and none of them ever keeps the JVM from exiting. */
    static void assertNoJmdnsThreadHoldsTheJvm() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> holding;
        do {
            holding = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().contains("JmDNS"))
                    .map(Thread::getName)
                    .toList();
            if (holding.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(holding).as("JmDNS threads that would keep the JVM alive").isEmpty();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
