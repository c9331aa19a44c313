package app.parley.ui.chat;

import app.parley.protocol.ChatMessage;
import app.parley.session.SessionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Session events on their way to the UI thread: queued on session threads without ever waiting,
 * applied in order on the UI thread, with a flood of messages grouped by conversation.
 */
final class EventInbox {
    /** At most this many events per turn of the UI thread, so a backlog never freezes the window. */
    private static final int EVENTS_PER_TURN = 2_000;

    private final Executor ui;
    private final Function<ChatMessage, Conversation> where;
    private final BiConsumer<Conversation, List<ChatMessage>> deliver;
    private final Consumer<SessionEvent> apply;
    private final ConcurrentLinkedQueue<SessionEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    /**
     * @param where   the conversation a message joins
     * @param deliver takes the messages that arrived for one conversation, in order
     * @param apply   takes every other event
     */
    EventInbox(
            Executor ui,
            Function<ChatMessage, Conversation> where,
            BiConsumer<Conversation, List<ChatMessage>> deliver,
            Consumer<SessionEvent> apply) {
        this.ui = ui;
        this.where = where;
        this.deliver = deliver;
        this.apply = apply;
    }

    /** Called on session threads: queue, and make sure one drain is on its way (never blocks). */
    void arrive(SessionEvent event) {
        inbox.add(event);
        if (drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain);
        }
    }

    /**
     * Applies what arrived, in order. Consecutive messages join their conversations in one
     * {@code addAll} each: at thousands a second that is one list change (and one scroll) per turn
     * instead of one per message.
     */
    private void drain() {
        drainScheduled.set(false);
        Map<Conversation, List<ChatMessage>> arriving = new LinkedHashMap<>();
        int applied = 0;
        for (SessionEvent event = inbox.poll();
                event != null;
                event = applied < EVENTS_PER_TURN ? inbox.poll() : null) {
            applied++;
            if (event instanceof SessionEvent.MessageReceived received) {
                ChatMessage message = received.message();
                arriving.computeIfAbsent(where.apply(message), c -> new ArrayList<>())
                        .add(message);
            } else {
                deliver(arriving);
                apply.accept(event);
            }
        }
        deliver(arriving);
        if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            ui.execute(this::drain); // the rest on a later turn, after the window has painted
        }
    }

    private void deliver(Map<Conversation, List<ChatMessage>> arriving) {
        arriving.forEach(deliver);
        arriving.clear();
    }
}
