package app.parley.join;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.protocol.WireRules;
import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The files of one {@link ClientConnection} going up ({@link Upload}) and coming down
 * ({@link Download}), docs/PROTOCOL.md §15: started here, paused when the connection drops, and
 * resumed from where they stopped when it is back. File I/O and hashing run on a pool of daemon
 * threads of its own, never on the socket's EventThread nor on the caller's.
 */
final class FileTransfers {
    /** How long an offer, a chunk, a complete or a read waits for its ack before it counts as lost. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);

    /** The socket, as far as transfers need it. */
    interface Wire {
        boolean connected();

        /**
         * Hops to the socket's thread and there, if it is connected and {@code current} still
         * holds, emits {@code event} with {@code args} (plain JSON values; {@code byte[]} go as
         * binary attachments), handing the ack's arguments (plain, {@code byte[]} kept) to
         * {@code onAck}. Never blocks.
         */
        void emit(String event, List<Object> args, BooleanSupplier current, Consumer<List<Object>> onAck);

        /**
         * The most bytes of chunks the connection's uploads together have unacknowledged at once,
         * whatever their windows: on long-polling, every packet queued while a request is out goes
         * in the next one, as base64, and a request over the host's {@code maxPayload} (1 MB) is
         * refused whole.
         */
        default long mostOnItsWay() {
            return Long.MAX_VALUE;
        }
    }

    /**
     * What {@link Wire#mostOnItsWay} is on long-polling, for all the connection's uploads together:
     * two chunks of 256 KiB (the most a chunk is there), 0.7 MB as base64 with their events.
     */
    static final long MOST_ON_ITS_WAY_POLLING = 512 * 1024;

    /** What every transfer of this connection shares. */
    record Context(
            Wire wire,
            ScheduledExecutorService timers,
            ExecutorService pool,
            BooleanSupplier parleyHost,
            Consumer<SessionEvent> publish,
            Consumer<String> ownMessage,
            String endpoint,
            Duration ackTimeout,
            Map<String, ActiveTransfer> active,
            Object sending) {
        /**
         * Bytes the other uploads of this connection have on their way. Read, and a chunk counted
         * in its upload's {@code sent}, under {@link #sending} when they share a limit: uploads
         * deciding at once on their own threads would each see room for the same bytes.
         */
        long othersOnItsWay(ActiveTransfer upload) {
            long sum = 0;
            for (ActiveTransfer other : active.values()) {
                if (other != upload && other instanceof Upload u) {
                    sum += u.onItsWay();
                }
            }
            return sum;
        }

        /**
         * Some of what the connection's uploads share came free: those that found no room go on.
         * Whatever the transport now: one that waited on long-polling may be on WebSocket since.
         */
        void nudgeUploads(ActiveTransfer from) {
            for (ActiveTransfer other : active.values()) {
                if (other != from && other instanceof Upload u) {
                    u.nudge();
                }
            }
        }

        void forget(ActiveTransfer transfer) {
            active.remove(transfer.id(), transfer);
            nudgeUploads(transfer);
        }
    }

    private final Context context;
    private final Function<String, String> userOf;

    /**
     * @param userOf     the user of a socket id, for direct files (as {@code send-message}'s {@code to})
     * @param ownMessage told the id of each file message the host stored for us, so its replay is not news
     */
    FileTransfers(
            Wire wire,
            ScheduledExecutorService timers,
            BooleanSupplier parleyHost,
            Function<String, String> userOf,
            Consumer<String> ownMessage,
            Consumer<SessionEvent> publish,
            String endpoint) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-files-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.context = new Context(
                wire,
                timers,
                pool,
                parleyHost,
                publish,
                ownMessage,
                endpoint,
                Duration.ofMillis(Long.getLong("parley.fileAckTimeoutMillis", ACK_TIMEOUT.toMillis())),
                new ConcurrentHashMap<>(),
                new Object());
        this.userOf = userOf;
    }

    FileTransfer send(Target target, Path file, String clientId) {
        String name = file.getFileName() == null
                ? file.toString()
                : file.getFileName().toString();
        Optional<String> refusal = WireRules.checkTargetRoom(target.wireRoom());
        if (context.pool().isShutdown()) {
            refusal = Optional.of("you left the session");
        }
        if (refusal.isEmpty() && !Files.isRegularFile(file)) {
            refusal = Optional.of("no such file: " + file);
        }
        if (refusal.isEmpty() && (clientId == null || !clientId.matches("[A-Za-z0-9_-]{1,64}"))) {
            refusal = Optional.of("a file's client id is 1-64 letters, digits, - or _");
        }
        if (refusal.isPresent()) {
            return FileTransfer.failed(FileTransfer.Direction.SEND, name, 0, "Not sent: " + refusal.get());
        }
        // Sending again with the same client id (Retry) while it is under way is the same transfer.
        for (ActiveTransfer transfer : context.active().values()) {
            if (transfer instanceof Upload upload && upload.clientId().equals(clientId)) {
                return upload;
            }
        }
        String toUser = target instanceof Target.Direct direct ? userOf.apply(direct.socketId()) : null;
        Upload upload = new Upload(context, file, name, clientId, target.wireRoom(), toUser);
        context.active().put(upload.id(), upload);
        upload.start();
        return upload;
    }

    FileTransfer receive(ChatMessage message, Path destination) {
        if (message.file() == null || message.id() == null) {
            return FileTransfer.failed(
                    FileTransfer.Direction.RECEIVE, message.text(), 0, "Not received: this message carries no file");
        }
        if (context.pool().isShutdown()) {
            return FileTransfer.failed(
                    FileTransfer.Direction.RECEIVE,
                    message.file().name(),
                    message.file().size(),
                    "Not received: you left the session");
        }
        if (message.file().expired()) {
            return FileTransfer.failed(
                    FileTransfer.Direction.RECEIVE,
                    message.file().name(),
                    message.file().size(),
                    "Not received: the host no longer has this file");
        }
        // Asking again for the same place while it comes down is the same download: two would write one .part.
        for (ActiveTransfer transfer : context.active().values()) {
            if (transfer instanceof Download download && download.destination().equals(destination)) {
                return download;
            }
        }
        Download download = new Download(context, message.id(), message.file(), destination);
        context.active().put(download.id(), download);
        download.start();
        return download;
    }

    /** Connected to a Parley host (again): every paused transfer goes on from where it stopped. */
    void opened() {
        context.active()
                .values()
                .forEach(transfer -> transfer.run(() -> {
                    if (transfer.paused()) {
                        transfer.resume();
                    }
                }));
    }

    /**
     * Connected, and the server did not say it is a Parley host: paused transfers ask anyway, and
     * fail with a reason when nobody answers.
     */
    void notParley() {
        opened();
    }

    /** The connection dropped: every transfer pauses. */
    void closed() {
        context.active().values().forEach(transfer -> transfer.run(transfer::pause));
    }

    /** The session closed: every transfer ends here. */
    void close() {
        context.active().values().forEach(transfer -> transfer.run(() -> transfer.fail("You left the session")));
        context.pool().shutdown();
    }
}
