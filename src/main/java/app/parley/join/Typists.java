package app.parley.join;

import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.protocol.WireCodec;
import app.parley.session.SessionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Typing, both ways. Others: who is typing where, each entry expiring {@link #EXPIRY_MILLIS}
 * after its last signal (a peer that vanishes mid-sentence does not type forever). Us: at most one
 * "still typing" signal per {@link #RESEND_MILLIS} per conversation, and one "stopped".
 */
final class Typists {
    static final long EXPIRY_MILLIS = 6_000;
    static final long RESEND_MILLIS = 3_000;

    private record Typist(String label, long until) {}

    private final ScheduledExecutorService timers;
    private final Consumer<SessionEvent> publish;
    /** conversation → socket id → who and until when; guarded by this. */
    private final Map<Target, Map<String, Typist>> typing = new HashMap<>();
    /** wire room → when we last said we were typing there (0: we said we stopped); guarded by this. */
    private final Map<String, Long> signalled = new HashMap<>();

    Typists(ScheduledExecutorService timers, Consumer<SessionEvent> publish) {
        this.timers = timers;
        this.publish = publish;
    }

    /** Where a message or signal from {@code from} shows, for us. */
    static Target conversationOf(MessageKind kind, String room, String from) {
        return switch (kind) {
            case ROOM -> room == null ? Target.EVERYONE : new Target.Room(room);
            case DIRECT -> new Target.Direct(from);
            default -> Target.EVERYONE;
        };
    }

    void heard(WireCodec.Typing signal) {
        Target conversation = conversationOf(signal.kind(), signal.room(), signal.from());
        if (!signal.active()) {
            stopped(conversation, signal.from());
            return;
        }
        long until = System.currentTimeMillis() + EXPIRY_MILLIS;
        String label = signal.name() != null ? signal.name() : signal.from();
        boolean changed;
        synchronized (this) {
            Typist before = typing.computeIfAbsent(conversation, c -> new LinkedHashMap<>())
                    .put(signal.from(), new Typist(label, until));
            changed = before == null || !before.label().equals(label);
        }
        timers.schedule(() -> expire(conversation), EXPIRY_MILLIS + 50, TimeUnit.MILLISECONDS);
        if (changed) {
            publish(conversation);
        }
    }

    /** {@code from} sent a message or said it stopped: it no longer types there. */
    void stopped(Target conversation, String from) {
        boolean changed;
        synchronized (this) {
            Map<String, Typist> who = typing.get(conversation);
            changed = who != null && who.remove(from) != null;
        }
        if (changed) {
            publish(conversation);
        }
    }

    /** Whether to tell the server now that we are (or stopped) typing to {@code wireRoom}. */
    synchronized boolean shouldSignal(String wireRoom, boolean active) {
        long now = System.currentTimeMillis();
        long last = signalled.getOrDefault(wireRoom, 0L);
        if (active && now - last >= RESEND_MILLIS) {
            signalled.put(wireRoom, now);
            return true;
        }
        if (!active && last != 0) {
            signalled.put(wireRoom, 0L);
            return true;
        }
        return false;
    }

    private void expire(Target conversation) {
        long now = System.currentTimeMillis();
        boolean changed;
        synchronized (this) {
            Map<String, Typist> who = typing.get(conversation);
            changed = who != null && who.values().removeIf(t -> t.until() <= now);
        }
        if (changed) {
            publish(conversation);
        }
    }

    private void publish(Target conversation) {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>();
            typing.getOrDefault(conversation, Map.of()).values().forEach(t -> names.add(t.label()));
        }
        publish.accept(new SessionEvent.TypingChanged(conversation, names));
    }
}
