package app.parley.discovery;

import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds Parley hosts on every network of this machine (DNS-SD {@code _parley._tcp}), live: a
 * {@link NearbyEvent.Found} when one is announced or changes, a {@link NearbyEvent.Lost} when it
 * says goodbye. Everything runs on one daemon thread of its own, which also calls the listener;
 * what the network sends goes through {@link ServiceReader} first, and at most
 * {@link #MAX_SESSIONS} sessions are held, so a flood of advertisements cannot grow the list.
 * Where multicast does not work it simply finds nothing.
 */
public final class Browser implements NearbySessions {
    private static final Logger LOG = LoggerFactory.getLogger(Browser.class);
    /** More sessions than this at once are not listed (a flood, not a network of people). */
    public static final int MAX_SESSIONS = 200;
    /** How long a service asked about may take to answer before another takes its place. */
    private static final long RESOLVE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** JmDNS's shortest wait after a question (it waits in steps of 200 ms, at least one). */
    private static final long ASK_WAIT_MILLIS = 1;

    private final Supplier<List<LocalNetwork>> networks;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-discovery");
        t.setDaemon(true);
        return t;
    });
    /**
     * Sends the questions about services. JmDNS waits after asking (6 s by default, at least
     * 200 ms), so asking on the discovery thread would stall every other advertisement behind a
     * name that never answers; the answers come back through the listener either way.
     */
    private final ExecutorService asker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-discovery-ask");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    /** Written on the discovery thread, read by close(). */
    private final List<JmDNS> responders = new CopyOnWriteArrayList<>();
    // The fields below are touched on the discovery thread only.
    /** Held sessions by key, and which responders currently see each. */
    private final Map<String, NearbySession> held = new HashMap<>();

    private final Map<String, Set<JmDNS>> seenBy = new HashMap<>();
    /** Services asked about and not answered yet, with when they were asked (nanoTime). */
    private final Map<String, Long> resolving = new LinkedHashMap<>();

    private Consumer<NearbyEvent> listener = event -> {};
    private boolean floodLogged;

    /** Browses every network of this machine. */
    public Browser() {
        this(LocalNetwork::all);
    }

    Browser(Supplier<List<LocalNetwork>> networks) {
        this.networks = networks;
    }

    @Override
    public void start(Consumer<NearbyEvent> eventListener) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Browser starts once");
        }
        submit(() -> {
            listener = eventListener;
            for (LocalNetwork network : networks.get()) {
                if (closed) {
                    return;
                }
                openOn(network);
            }
        });
    }

    /** The number of sessions held now; for tests. */
    int heldCount() {
        try {
            return thread.submit(held::size).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    private void openOn(LocalNetwork network) {
        JmDNS responder;
        try {
            responder = Responders.open(network);
        } catch (IOException | RuntimeException e) {
            LOG.info("Not looking for sessions on {}: {}", network.interfaceName(), e.toString());
            return;
        }
        responders.add(responder);
        if (closed) {
            Responders.closeAll(List.of(responder), 0);
            return;
        }
        // Adding the listener also sends the first queries, so hosts already running answer at once.
        responder.addServiceListener(DnsSd.SERVICE_TYPE, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                submit(() -> added(responder, event));
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                submit(() -> removed(responder, event.getName()));
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                submit(() -> resolved(responder, network, event.getInfo()));
            }
        });
    }

    private void added(JmDNS responder, ServiceEvent event) {
        String key = ServiceReader.keyOf(event.getName());
        ServiceInfo info = event.getInfo();
        if (held.containsKey(key) || (info != null && info.hasData())) {
            return; // an announcement brings all its records: serviceResolved follows, as it does for the TXT
        }
        // Asking costs queries on the network: only for sessions there is room for.
        // A service that never answers must not hold its place for ever.
        long now = System.nanoTime();
        resolving.values().removeIf(asked -> now - asked > RESOLVE_NANOS);
        if (held.size() + resolving.size() < MAX_SESSIONS && resolving.putIfAbsent(key, now) == null) {
            String type = event.getType();
            String name = event.getName();
            try {
                asker.execute(() -> {
                    if (!closed) {
                        responder.requestServiceInfo(type, name, ASK_WAIT_MILLIS);
                    }
                });
            } catch (RejectedExecutionException e) {
                // Closed meanwhile.
            }
        }
    }

    private void resolved(JmDNS responder, LocalNetwork network, ServiceInfo info) {
        if (info == null) {
            return;
        }
        String key = ServiceReader.keyOf(info.getName());
        resolving.remove(key);
        var session = ServiceReader.read(info, network);
        if (session.isEmpty()) {
            return;
        }
        if (!held.containsKey(key) && held.size() >= MAX_SESSIONS) {
            if (!floodLogged) {
                floodLogged = true;
                LOG.warn(
                        "More than {} sessions announced on this network; listing the first {}",
                        MAX_SESSIONS,
                        MAX_SESSIONS);
            }
            return;
        }
        seenBy.computeIfAbsent(key, k -> new HashSet<>()).add(responder);
        if (!session.get().equals(held.put(key, session.get()))) {
            deliver(new NearbyEvent.Found(session.get()));
        }
    }

    private void removed(JmDNS responder, String instanceName) {
        String key = ServiceReader.keyOf(instanceName);
        resolving.remove(key);
        Set<JmDNS> seers = seenBy.get(key);
        if (seers == null) {
            return;
        }
        seers.remove(responder);
        if (seers.isEmpty()) {
            seenBy.remove(key);
            if (held.remove(key) != null) {
                deliver(new NearbyEvent.Lost(key));
            }
        }
    }

    private void deliver(NearbyEvent event) {
        if (closed) {
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("A nearby-sessions listener failed on {}", event, e);
        }
    }

    /** Runs {@code task} on the discovery thread; never throws, and nothing runs after close. */
    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Discovery failed on an advertisement", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    /**
     * Stops browsing. Returns at once (it may be called on the FX thread): the responders close on
     * daemon threads, and the last JmDNS thread ends about two seconds later.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.shutdown();
        try {
            // The start task may be opening a responder; once it is done, responders stays as it is.
            thread.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
        asker.shutdownNow();
        Responders.closeAll(List.copyOf(responders), 0);
    }
}
