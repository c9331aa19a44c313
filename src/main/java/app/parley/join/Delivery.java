package app.parley.join;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.WireCodec;
import app.parley.session.SessionException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Nothing lost, nothing doubled, on the client's side of a Parley host.
 *
 * <ul>
 *   <li>Out: every message waits in the {@link Outbox} until the host acks it; it goes again after
 *       {@link #ACK_TIMEOUT} and after every reconnect, always with its client id,
 *       and is reported failed after its deadline. Delivery alone decides when a message may go
 *       (connected to a Parley host); the socket is only the {@link Wire} it goes out on.</li>
 *   <li>In: the host numbers each conversation; a message at or below the last number seen there
 *       was seen already (a replay overlapping live traffic) and is dropped. What was seen is what
 *       the next handshake asks the host to replay after. A message whose sender and client id
 *       were seen already is dropped too: a host that lost power after delivering it, before it
 *       acked it, stores the sender's retry under a new number.</li>
 * </ul>
 */
final class Delivery {
    /** How long one attempt waits for the host's ack before the message goes again. */
    static final java.time.Duration ACK_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** Own message ids remembered, so a replay of what we sent is not shown as new. */
    private static final int OWN_IDS = 10_000;

    private final Outbox outbox;
    private final ScheduledExecutorService timers;
    private final Wire wire;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private volatile long lastTime;
    private final Set<String> ownIds =
            Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > OWN_IDS;
                }
            }));
    /** Others' (user, client id) pairs remembered, so a message stored again under a new number is seen as a copy. */
    private final Set<String> othersClientIds =
            Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > OWN_IDS;
                }
            }));
    /** Whether messages may go out now: connected to a Parley host. */
    private volatile boolean open;

    private final java.time.Duration deadline;

    /** The socket, as far as Delivery needs it: given at construction, so Delivery never calls its owner. */
    @FunctionalInterface
    interface Wire {
        /**
         * Hops to the socket's own thread and there, if the socket is connected and
         * {@code mayTransmit} still holds, emits the entry's {@code send-message} with its client id,
         * handing the ack's first argument to {@code onAck}. Never blocks.
         */
        void emitWhen(BooleanSupplier mayTransmit, Outbox.Entry entry, Consumer<Object> onAck);
    }

    /**
     * @param wire     what a message goes out on
     * @param deadline how long a message may go unacknowledged before it is reported failed
     */
    Delivery(Outbox outbox, ScheduledExecutorService timers, Wire wire, java.time.Duration deadline) {
        this.outbox = outbox;
        this.timers = timers;
        this.wire = wire;
        this.deadline = deadline;
    }

    /** Queues a message (once per client id) and sends it when it can. */
    CompletableFuture<Void> send(Outbox.Entry entry) {
        CompletableFuture<Void> delivered = waiting.computeIfAbsent(entry.cid(), cid -> {
            timers.schedule(() -> giveUp(cid), deadline.toMillis(), TimeUnit.MILLISECONDS);
            return new CompletableFuture<>();
        });
        if (outbox.add(entry) && open) {
            attempt(entry);
        }
        return delivered;
    }

    /** Connected to a Parley host: everything waiting goes, oldest first. */
    void opened() {
        open = true;
        outbox.pending().forEach(this::attempt);
    }

    void closed() {
        open = false;
    }

    /**
     * The server turned out not to be a Parley host (it never answered {@code list-peers}): what
     * waits goes once, unacknowledged, as the tutorial does it.
     */
    void sendAtMostOnce(Consumer<Outbox.Entry> emit) {
        for (Outbox.Entry entry : outbox.pending()) {
            emit.accept(entry);
            answered(entry.cid(), Map.of("ok", true));
        }
    }

    private void attempt(Outbox.Entry entry) {
        // Checked again on the socket's thread, in order with connects and disconnects: a message
        // the library buffered while offline would go on reconnect ahead of older ones still waiting.
        wire.emitWhen(() -> open, entry, ack -> answered(entry.cid(), ack));
        // Same connection, no answer: once more after the ack timeout (the host stores it once).
        timers.schedule(
                () -> {
                    if (open && outbox.contains(entry.cid())) {
                        attempt(entry);
                    }
                },
                ACK_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The host's answer to a {@code send-message}: the message is stored (or refused for good). */
    void answered(String cid, Object ack) {
        if (outbox.remove(cid) == null) {
            return; // answered already (a retry's answer), or given up
        }
        CompletableFuture<Void> delivered = waiting.remove(cid);
        Optional<String> refusal = WireCodec.refusalReason(ack);
        if (refusal.isPresent()) {
            fail(delivered, "Not sent: " + refusal.get());
            return;
        }
        if (ack instanceof Map<?, ?> map && map.get("id") instanceof String id) {
            ownIds.add(id);
        }
        if (delivered != null) {
            delivered.complete(null);
        }
    }

    /** A message of ours the host stored by another way (a file's {@code file-complete}): its replay is no news. */
    void ownMessage(String id) {
        ownIds.add(id);
    }

    private void giveUp(String cid) {
        if (outbox.remove(cid) != null) {
            fail(
                    waiting.remove(cid),
                    "Not delivered: the host did not confirm it within " + Math.max(1, deadline.toSeconds())
                            + " s. Retry sends it again.");
        } else {
            waiting.remove(cid);
        }
    }

    private static void fail(CompletableFuture<Void> delivered, String reason) {
        if (delivered != null) {
            delivered.completeExceptionally(new SessionException(reason));
        }
    }

    /**
     * Whether an arriving message is news. Our own message coming back in a replay is not: if its
     * ack was lost, this is the ack.
     */
    boolean isNew(ChatMessage message) {
        if (message.conversation() != null && message.seq() > 0) {
            long seen = lastSeq.getOrDefault(message.conversation(), 0L);
            if (message.seq() <= seen) {
                return false;
            }
            lastSeq.put(message.conversation(), message.seq());
            lastTime = Math.max(lastTime, message.time().toEpochMilli());
        }
        if (!message.mine()
                && message.user() != null
                && message.clientId() != null
                && !othersClientIds.add(message.user() + '\n' + message.clientId())) {
            return false;
        }
        if (message.mine()) {
            if (message.id() != null && ownIds.contains(message.id())) {
                return false;
            }
            if (message.clientId() != null && outbox.contains(message.clientId())) {
                answered(message.clientId(), Map.of("ok", true, "id", message.id() == null ? "" : message.id()));
                return false;
            }
        }
        return true;
    }

    /**
     * The host says where conversations stood when this socket started hearing them live: a
     * resume names them from there, even those nothing arrived in yet. In order with arrivals.
     */
    void caughtUp(WireCodec.CaughtUp caughtUp) {
        caughtUp.seqs().forEach((conversation, seq) -> lastSeq.merge(conversation, seq, Math::max));
        lastTime = Math.max(lastTime, caughtUp.at());
    }

    /** What the next handshake sends as {@code auth.resume}, or null before anything was seen. */
    Map<String, Object> resumeState() {
        if (lastSeq.isEmpty()) {
            return null;
        }
        return Map.of("at", lastTime, "seqs", Map.copyOf(lastSeq));
    }

    /** Messages waiting for an ack. */
    java.util.List<Outbox.Entry> pending() {
        return outbox.pending();
    }
}
