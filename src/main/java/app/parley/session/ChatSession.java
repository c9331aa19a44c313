package app.parley.session;

import app.parley.protocol.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one conversation API the UI talks to, whether this window hosts or joins.
 *
 * <p>Commands never block: each returns a future completed on a library thread. Listeners get
 * {@link SessionEvent}s on a library thread and must not block it.
 *
 * <pre>{@code
 * ChatSession session = SessionFactory.join(URI.create("http://localhost:3000"));
 * session.addListener(event -> System.out.println(event));
 * session.open();
 * session.joinRoom("design").thenAccept(System.out::println);   // "Joined design"
 * session.send(new Target.Room("design"), "hello");
 * }</pre>
 */
public interface ChatSession extends AutoCloseable {

    void addListener(Consumer<SessionEvent> listener);

    /** Starts connecting; progress arrives as {@link SessionEvent.StateChanged}. */
    void open();

    /**
     * Sends a message. The future completes when the server acknowledged it, or exceptionally
     * with a {@link SessionException} saying why it was refused or not answered in time.
     */
    CompletableFuture<Void> send(Target target, String text);

    /** Joins a room; completes with the server's acknowledgement text ("Joined design"). */
    CompletableFuture<String> joinRoom(String room);

    /** Leaves a room; completes with the server's acknowledgement text. */
    CompletableFuture<String> leaveRoom(String room);

    /** Emits an event of any name with JSON-shaped arguments (seed's {@code custom-event}). */
    void emitCustom(String event, List<Object> args);

    /** Our socket id while connected, else null. */
    String socketId();

    /** Describes where this session is connected ("http://localhost:3000"). */
    String endpoint();

    /** Disconnects and releases every thread this session started. */
    @Override
    void close();
}
