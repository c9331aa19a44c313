package app.parley.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import app.parley.testing.NetNamespaces;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A second JmDNS on the test's own network publishes what a hostile or broken machine could: a
 * huge TXT record, a name with control and bidi characters, a malformed fingerprint, an address
 * outside the network, and 1,000 services at once. The Browser lists the usable ones cleaned,
 * ignores the rest, holds at most {@link Browser#MAX_SESSIONS}, and goes on though its listener throws.
 */
class HostileAdvertisementTest {
    private static final String EVIL_NAME = "Bob\u202Egnp.exe\u0007\u200B\u0000 the  builder";

    @Test
    @Timeout(90)
    void badAdvertisementsAreCleanedOrIgnoredAndTheListStaysBounded() throws Exception {
        try (NetNamespaces net = NetNamespaces.cabledToThisProcess()) {
            LocalNetwork network = AdvertiserTest.network(net);
            String outsideAddress =
                    "198.18." + net.address(0).split("\\.")[2] + ".1"; // the benchmark range too, another /24
            net.addAddressHere(outsideAddress + "/24");
            LocalNetwork outside =
                    new LocalNetwork((Inet4Address) InetAddress.getByName(outsideAddress), 24, net.interfaceName(0));

            Sightings seen = new Sightings();
            AtomicInteger calls = new AtomicInteger();
            Browser browser = new Browser(() -> List.of(network));
            List<JmDNS> publishers = new ArrayList<>();
            try {
                browser.start(event -> {
                    seen.record(event);
                    if (calls.incrementAndGet() % 3 == 0) {
                        throw new IllegalStateException("a listener that fails now and then");
                    }
                });
                JmDNS friendly = Responders.open(network);
                publishers.add(friendly);
                JmDNS evil = Responders.open(network);
                publishers.add(evil);
                JmDNS elsewhere = Responders.open(outside);
                publishers.add(elsewhere);
                // Its own responder: JmDNS restarts one whose packet it cannot build.
                JmDNS bulky = Responders.open(network);
                publishers.add(bulky);

                friendly.registerService(service("Carol", 5000, good()));
                Map<String, String> huge = good();
                for (int i = 0; i < 5; i++) {
                    huge.put("pad" + i, "x".repeat(240)); // well past a Parley TXT, within one packet
                }
                bulky.registerService(service("Huge", 5001, huge));
                evil.registerService(service(EVIL_NAME, 5002, good()));
                Map<String, String> badPrint = good();
                badPrint.put("tls", "1");
                badPrint.put("fp", "AB:CD\u202E; rm -rf /");
                evil.registerService(service("Badprint", 5003, badPrint));
                Map<String, String> otherPath = good();
                otherPath.put("path", "/evil/");
                evil.registerService(service("Otherpath", 5004, otherPath));
                elsewhere.registerService(service("Elsewhere", 5005, good()));

                NearbySession carol = seen.awaitFound(s -> s.port() == 5000, 5_000);
                assertThat(carol.host()).isEqualTo(net.address(0));
                NearbySession bob = seen.awaitFound(s -> s.port() == 5002, 5_000);
                assertThat(bob.name())
                        .as("bidi and zero-width gone, BEL and NUL shown as replacements, spaces folded")
                        .isEqualTo("Bobgnp.exe\uFFFD\uFFFD the builder")
                        .doesNotContain("\u202E", "\u200B", "\u0000", "\u0007");
                assertThat(bob.key()).as("printable and distinct").matches("[\\x20-\\x7e]+");

                long flooding = System.nanoTime();
                for (int i = 0; i < 1_000; i++) {
                    evil.registerService(service(String.format("flood-%04d", i), 6000 + i, good()));
                }
                awaitHeld(browser, Browser.MAX_SESSIONS, 30_000);
                Thread.sleep(1_000); // the rest of the flood arrives, and is not listed
                System.out.printf(
                        "1,000 services: %d events in %d ms, %d held%n",
                        seen.all().size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - flooding),
                        browser.heldCount());

                assertThat(browser.heldCount()).isLessThanOrEqualTo(Browser.MAX_SESSIONS);
                assertThat(seen.found().stream()
                                .map(NearbySession::key)
                                .distinct()
                                .count())
                        .as("sessions ever listed")
                        .isLessThanOrEqualTo(Browser.MAX_SESSIONS);
                assertThat(seen.found().stream().map(NearbySession::port))
                        .as("huge TXT, bad fingerprint, other path, address outside the network")
                        .doesNotContain(5001, 5003, 5004, 5005);
                assertThat(seen.all())
                        .as("nothing lost while the flood came in")
                        .noneMatch(NearbyEvent.Lost.class::isInstance);

                // Still answering after all that: a goodbye is still heard.
                long goodbye = System.nanoTime();
                friendly.unregisterAllServices();
                seen.awaitLost(carol.key(), 15_000);
                System.out.printf(
                        "after the flood, a goodbye was heard in %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goodbye));
            } finally {
                browser.close();
                Responders.closeAll(publishers, 3_000);
            }
            AdvertiserTest.assertNoJmdnsThreadHoldsTheJvm();
        }
    }

    private static Map<String, String> good() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("v", "1");
        text.put("path", "/socket.io/");
        text.put("tls", "0");
        text.put("pw", "0");
        text.put("web", "0");
        return text;
    }

    private static ServiceInfo service(String name, int port, Map<String, String> text) {
        return ServiceInfo.create(DnsSd.SERVICE_TYPE, name, port, 0, 0, text);
    }

    /** Waits until the browser holds {@code count} sessions: the flood has reached the cap. */
    private static void awaitHeld(Browser browser, int count, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (browser.heldCount() < count) {
            assertThat(System.nanoTime())
                    .as("held %d of %d", browser.heldCount(), count)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
