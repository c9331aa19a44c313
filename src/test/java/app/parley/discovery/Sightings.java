package app.parley.discovery;

import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What a Browser reported, for tests to wait on. */
final class Sightings {
    private final List<NearbyEvent> events = new ArrayList<>();

    void record(NearbyEvent event) {
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    List<NearbyEvent> all() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<NearbySession> found() {
        return all().stream()
                .filter(NearbyEvent.Found.class::isInstance)
                .map(e -> ((NearbyEvent.Found) e).session())
                .toList();
    }

    NearbySession awaitFound(Predicate<NearbySession> matching, long millis) throws InterruptedException {
        NearbyEvent event = await(e -> e instanceof NearbyEvent.Found f && matching.test(f.session()), millis, "found");
        return ((NearbyEvent.Found) event).session();
    }

    void awaitLost(String key, long millis) throws InterruptedException {
        await(e -> e instanceof NearbyEvent.Lost l && l.key().equals(key), millis, "lost " + key);
    }

    private NearbyEvent await(Predicate<NearbyEvent> matching, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (events) {
            while (true) {
                for (NearbyEvent event : events) {
                    if (matching.test(event)) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + millis + " ms; saw " + events.size()
                            + " events: " + events.subList(0, Math.min(events.size(), 10)));
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }
}
