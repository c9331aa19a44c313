package app.parley.interop;

import app.parley.protocol.ChatMessage;
import app.parley.session.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Every {@link SessionEvent} one Parley session published, with bounded waits on them. */
final class SessionLog implements Consumer<SessionEvent> {
    private final String name;
    private final List<SessionEvent> events = new ArrayList<>();

    SessionLog(String name) {
        this.name = name;
    }

    @Override
    public synchronized void accept(SessionEvent event) {
        events.add(event);
        notifyAll();
    }

    /** The first event so far (or within {@code timeout}) of {@code type} matching {@code wanted}. */
    synchronized <T extends SessionEvent> T await(Class<T> type, Predicate<T> wanted, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (SessionEvent event : events) {
                if (type.isInstance(event) && wanted.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                throw new AssertionError(
                        name + " got no " + what + " within " + timeout.toMillis() + " ms; it saw:\n" + describe());
            }
            wait(Math.min(left, 200));
        }
    }

    /** The socket id of the first {@code Connected} event. */
    String awaitConnected(Duration timeout) throws InterruptedException {
        return await(SessionEvent.Connected.class, c -> true, timeout, "Connected event")
                .socketId();
    }

    ChatMessage awaitMessage(String text, Duration timeout) throws InterruptedException {
        return await(
                        SessionEvent.MessageReceived.class,
                        m -> m.message().text().equals(text),
                        timeout,
                        "message \"" + text + "\"")
                .message();
    }

    /** Messages received so far carrying {@code text}. */
    synchronized List<ChatMessage> messages(String text) {
        List<ChatMessage> found = new ArrayList<>();
        for (SessionEvent event : events) {
            if (event instanceof SessionEvent.MessageReceived received
                    && received.message().text().equals(text)) {
                found.add(received.message());
            }
        }
        return found;
    }

    synchronized long count(Class<? extends SessionEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    synchronized List<SessionEvent> events() {
        return List.copyOf(events);
    }

    synchronized String describe() {
        StringBuilder out = new StringBuilder();
        for (SessionEvent event : events) {
            out.append("  ").append(event).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
