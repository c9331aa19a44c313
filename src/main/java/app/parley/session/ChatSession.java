package app.parley.session;

import app.parley.protocol.Target;
import app.parley.protocol.WireCodec;
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
     * with a {@link SessionException} saying why it was refused or not delivered in time.
     *
     * <p>To a Parley host the message waits in an outbox until the host acknowledges it: it is sent
     * again after a timeout, after a reconnect and after an app restart, always with the same
     * {@code clientId}, and the host stores it once. Sending again with the same {@code clientId}
     * (a person pressing Retry) is safe for the same reason.
     */
    CompletableFuture<Void> send(Target target, String text, String clientId);

    /** {@link #send(Target, String, String)} with a fresh client id. */
    default CompletableFuture<Void> send(Target target, String text) {
        return send(target, text, java.util.UUID.randomUUID().toString());
    }

    /** Messages still in the outbox from an earlier run, oldest first: the window shows them as sending. */
    List<PendingMessage> pending();

    /** While reconnecting: stop waiting for the next attempt and try now. */
    void retryNow();

    /** Joins a room; completes with the server's acknowledgement text ("Joined design"). */
    CompletableFuture<String> joinRoom(String room);

    /** Leaves a room; completes with the server's acknowledgement text. */
    CompletableFuture<String> leaveRoom(String room);

    /**
     * Asks the host for another nickname; completes with the name granted, or exceptionally with
     * the reason it was refused (taken, too long, invisible characters).
     */
    CompletableFuture<String> rename(String name);

    /**
     * Says whether we are typing to {@code target}; cheap to call on every keystroke (the session
     * sends at most one signal every few seconds). Servers that do not know typing ignore it.
     */
    void typing(Target target, boolean active);

    /**
     * A page of a conversation's history, oldest first: the newest {@code limit} messages before
     * sequence {@code beforeSeq} ({@code Long.MAX_VALUE} for the latest). Parley hosts only; others
     * complete exceptionally.
     */
    CompletableFuture<WireCodec.HistoryPage> history(Target conversation, long beforeSeq, int limit);

    /**
     * Sends a file to {@code target} (docs/PROTOCOL.md §15): offered, sent in acknowledged chunks,
     * resumed after a dropped connection, checked by SHA-256 on the host, then delivered as a
     * message carrying it. The file is read as it goes; it must not change meanwhile. Parley hosts
     * only; others fail the transfer with a reason.
     */
    default FileTransfer sendFile(Target target, java.nio.file.Path file, String clientId) {
        return FileTransfer.failed(
                FileTransfer.Direction.SEND, file.getFileName().toString(), 0, "this session cannot send files");
    }

    /**
     * Fetches the bytes of the file {@code message} carries into {@code destination}, resuming from
     * what a {@code destination + ".part"} left by an earlier attempt holds, and checks them by
     * SHA-256 before the file appears under its name.
     */
    default FileTransfer receiveFile(app.parley.protocol.ChatMessage message, java.nio.file.Path destination) {
        return FileTransfer.failed(
                FileTransfer.Direction.RECEIVE,
                message.file() == null ? message.text() : message.file().name(),
                message.file() == null ? 0 : message.file().size(),
                "this session cannot receive files");
    }

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
