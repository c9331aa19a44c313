package app.parley.discovery.patch;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Timer;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordType;
import javax.jmdns.impl.tasks.RecordReaper;
import javax.jmdns.impl.tasks.Responder;
import javax.jmdns.impl.tasks.resolver.ServiceInfoResolver;
import javax.jmdns.impl.tasks.resolver.ServiceResolver;
import javax.jmdns.impl.tasks.resolver.TypeResolver;
import javax.jmdns.impl.tasks.state.Announcer;
import javax.jmdns.impl.tasks.state.Canceler;
import javax.jmdns.impl.tasks.state.Prober;
import javax.jmdns.impl.tasks.state.Renewer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JmDNS's own task starter ({@code DNSTaskStarterImpl}) with three timings changed, a bounded cache and daemon
 * timers, written against JmDNS 3.6.3:
 *
 * <ul>
 *   <li>A new responder probes every second instead of every 250 ms (RFC 6762, section 8.1; the
 *       library keeps 250 ms for one already announced) and announces a second after that: a
 *       host would first be heard four seconds after it starts. Here probes are 250 ms apart and
 *       the first announcement follows at once (section 8.3), about one second in all.
 *   <li>Records that said goodbye are dropped (and listeners told) by a reaper that runs every
 *       ten seconds, a second after the last goodbye; here it runs twice a second and drops a
 *       service that said goodbye at once, so a stopped host leaves lists within about half a second.
 *   <li>The cache of records heard is capped ({@link #capCache}); the library's grows without end.
 *   <li>The timer that sends probes, announcements and goodbyes keeps the JVM alive (it is not a
 *       daemon): a window closing would wait for the goodbye repeats. Both timers are daemons here.
 * </ul>
 */
final class PromptTasks implements DNSTaskStarter {
    static final long REAP_MILLIS = 500;
    /** Far above what 200 listed sessions and a busy office network need (a few records each). */
    static final int MAX_CACHED_RECORDS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(PromptTasks.class);
    private static volatile boolean capLogged;
    private static final long FIRST_ANNOUNCEMENT_MILLIS = 20;

    private final JmDNSImpl dns;
    private final Timer timer;
    private final Timer stateTimer;

    PromptTasks(JmDNSImpl dns) {
        this.dns = dns;
        this.timer = new DNSTaskStarterImpl.StarterTimer("JmDNS(" + dns.getName() + ").Timer", true);
        this.stateTimer = new DNSTaskStarterImpl.StarterTimer("JmDNS(" + dns.getName() + ").State.Timer", true);
    }

    @Override
    public void purgeTimer() {
        timer.purge();
    }

    @Override
    public void purgeStateTimer() {
        stateTimer.purge();
    }

    @Override
    public void cancelTimer() {
        timer.cancel();
    }

    @Override
    public void cancelStateTimer() {
        stateTimer.cancel();
    }

    @Override
    public void startProber() {
        new Prober(dns) {
            @Override
            public void start(Timer on) {
                // The library's throttle against probe storms (conflict after conflict) stays.
                long now = System.currentTimeMillis();
                boolean recent = now - dns.getLastThrottleIncrement() < DNSConstants.PROBE_THROTTLE_COUNT_INTERVAL;
                dns.setThrottle(recent ? dns.getThrottle() + 1 : 1);
                dns.setLastThrottleIncrement(now);
                if (dns.getThrottle() < DNSConstants.PROBE_THROTTLE_COUNT) {
                    on.schedule(
                            this,
                            JmDNSImpl.getRandom().nextInt(1 + DNSConstants.PROBE_WAIT_INTERVAL),
                            DNSConstants.PROBE_WAIT_INTERVAL);
                } else if (!dns.isCanceling() && !dns.isCanceled()) {
                    on.schedule(this, DNSConstants.PROBE_CONFLICT_INTERVAL, DNSConstants.PROBE_CONFLICT_INTERVAL);
                }
            }
        }.start(stateTimer);
    }

    @Override
    public void startAnnouncer() {
        new Announcer(dns) {
            @Override
            public void start(Timer on) {
                if (!dns.isCanceling() && !dns.isCanceled()) {
                    on.schedule(this, FIRST_ANNOUNCEMENT_MILLIS, DNSConstants.ANNOUNCE_WAIT_INTERVAL);
                }
            }
        }.start(stateTimer);
    }

    @Override
    public void startRenewer() {
        new Renewer(dns).start(stateTimer);
    }

    @Override
    public void startCanceler() {
        new Canceler(dns).start(stateTimer);
    }

    @Override
    public void startReaper() {
        new RecordReaper(dns) {
            @Override
            public void start(Timer on) {
                if (!dns.isCanceling() && !dns.isCanceled()) {
                    on.schedule(this, REAP_MILLIS, REAP_MILLIS);
                }
            }

            @Override
            public void run() {
                if (!dns.isCanceling() && !dns.isCanceled()) {
                    dropSaidGoodbye();
                    capCache(dns, MAX_CACHED_RECORDS);
                }
                super.run();
            }
        }.start(timer);
    }

    /**
     * A goodbye gives its cached record one more second, and each repeat of it one more again, so
     * the three goodbyes of a host still running would keep it listed for three seconds. A pointer
     * record (which names a service) has a one-second TTL only after a goodbye: drop those now.
     */
    private void dropSaidGoodbye() {
        long now = System.currentTimeMillis();
        for (DNSEntry entry : dns.getCache().allValues()) {
            if (entry instanceof DNSRecord record
                    && record.getRecordType() == DNSRecordType.TYPE_PTR
                    && record.getTTL() <= DNSConstants.RECORD_EXPIRY_DELAY
                    && dns.getCache().removeDNSEntry(record)) {
                dns.updateRecord(now, record, JmDNSImpl.Operation.Remove);
            }
        }
    }

    /**
     * JmDNS keeps every record the network sends until its TTL runs out, and a peer chooses the
     * TTL: a flood of distinct records would grow the heap without end. Past {@code max} the
     * records heard longest ago go first (a record heard again counts from then), and listeners are
     * told, as they are when a record expires.
     */
    static int capCache(JmDNSImpl dns, int max) {
        Collection<DNSEntry> all = dns.getCache().allValues();
        int over = all.size() - max;
        if (over <= 0) {
            return 0;
        }
        long now = System.currentTimeMillis();
        List<DNSRecord> oldest = all.stream()
                .filter(DNSRecord.class::isInstance)
                .map(DNSRecord.class::cast)
                .sorted(Comparator.comparingLong(DNSRecord::getCreated))
                .limit(over)
                .toList();
        int dropped = 0;
        for (DNSRecord record : oldest) {
            if (dns.getCache().removeDNSEntry(record)) {
                dns.updateRecord(now, record, JmDNSImpl.Operation.Remove);
                dropped++;
            }
        }
        if (dropped > 0 && !capLogged) {
            capLogged = true;
            LOG.warn("More than {} DNS records heard on the network; dropping the oldest", max);
        }
        return dropped;
    }

    @Override
    public void startServiceInfoResolver(ServiceInfoImpl info) {
        new ServiceInfoResolver(dns, info).start(timer);
    }

    @Override
    public void startTypeResolver() {
        new TypeResolver(dns).start(timer);
    }

    @Override
    public void startServiceResolver(String type) {
        new ServiceResolver(dns, type).start(timer);
    }

    @Override
    public void startResponder(DNSIncoming in, InetAddress addr, int port) {
        new Responder(dns, in, addr, port).start(timer);
    }
}
