package app.parley.discovery.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.constants.DNSRecordClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real JmDNS responder on loopback whose cache is filled past the cap, as a flood of distinct
 * records from the network would fill it: the oldest go, the newest stay, and a listener hears of
 * the services dropped, as when records expire.
 */
class CacheCapTest {
    private static final String TYPE = "_parley._tcp.local.";

    @Test
    @Timeout(30)
    void theOldestRecordsGoPastTheCapAndListenersHearOfIt() throws Exception {
        JmDNSImpl dns = (JmDNSImpl) JmDNS.create(InetAddress.getLoopbackAddress(), "cap-test");
        try {
            List<String> removed = new CopyOnWriteArrayList<>();
            dns.addServiceListener(TYPE, new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent event) {}

                @Override
                public void serviceRemoved(ServiceEvent event) {
                    removed.add(event.getName());
                }

                @Override
                public void serviceResolved(ServiceEvent event) {}
            });
            int before = dns.getCache().allValues().size();
            List<DNSRecord> flood = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                DNSRecord record =
                        new DNSRecord.Pointer(TYPE, DNSRecordClass.CLASS_IN, false, 4500, "flood-" + i + "." + TYPE);
                flood.add(record);
                dns.getCache().addDNSEntry(record); // what JmDNS does with a record it hears
                dns.updateRecord(System.currentTimeMillis(), record, JmDNSImpl.Operation.Add);
                Thread.sleep(i % 50 == 0 ? 2 : 0); // creation times apart, so "oldest" means something
            }

            int dropped = PromptTasks.capCache(dns, before + 100);

            List<DNSEntry> left = new ArrayList<>(dns.getCache().allValues());
            assertThat(dropped).isGreaterThanOrEqualTo(200);
            assertThat(left).hasSizeLessThanOrEqualTo(before + 100);
            assertThat(left).contains(flood.get(299)).doesNotContain(flood.get(0));
            assertThat(PromptTasks.capCache(dns, before + 100)).isZero();
            long deadline = System.currentTimeMillis() + 5_000;
            while (!removed.contains("flood-0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(removed).contains("flood-0").doesNotContain("flood-299");
        } finally {
            dns.close();
        }
    }
}
