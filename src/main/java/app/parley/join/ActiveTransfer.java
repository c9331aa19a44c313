package app.parley.join;

import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent;
import app.parley.session.SessionEvent.TransferState;
import app.parley.session.SessionException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What an upload and a download share: identity, state, progress events and the one thread of
 * control. Every state change runs on the transfer's {@link SerialExecutor}; the socket's
 * EventThread and the timers only hand work to it. A request carries the {@link #generation} it
 * was made in; a pause, a timeout or a cancel starts a new one, and answers from older ones are
 * ignored.
 */
abstract class ActiveTransfer implements FileTransfer {
    private final String id = UUID.randomUUID().toString();
    private final Direction direction;
    private final String name;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final TransferMeter meter = new TransferMeter();
    /**
     * The link's speed from the answers to data (chunks acknowledged, reads answered) since the last
     * (re)start, for {@link #pieceNow}: not the wait for an offer's answer nor hashing before the
     * first chunk. The speed shown spans restarts.
     */
    private final TransferMeter pacing = new TransferMeter();
    /** The pace before the last restart, held to until the new one is known: a restart is no burst. */
    private double pacedBefore;

    protected final FileTransfers.Context context;
    protected final SerialExecutor serial;
    protected volatile long size;
    /** Bumped whenever requests on their way become stale; read on the EventThread before an emit. */
    protected volatile int generation;
    /** Set at once by {@link #cancel()}, from any thread. */
    protected volatile boolean cancelRequested;

    private TransferState state = TransferState.RUNNING;
    private long doneBytes;
    /** When the other end last answered this transfer; read and written on its own thread. */
    private long lastHeard = System.nanoTime();
    /** The shortest time a request took to be answered on this connection (0: none yet), as BBR's min RTT. */
    private long shortestRoundTrip;

    /** A piece (a chunk sent, a read asked for) once the link holds: 8 on their way make 2 MiB. */
    static final int FIRST_PIECE = 256 * 1024;

    /** Pieces grow in steps of this, so writes stay aligned to the disk's pages. */
    private static final int PIECE_STEP = 64 * 1024;

    /**
     * On its way right after a (re)start, before anything came back: 8 pieces of 32 KiB. It then
     * doubles with each window that comes back, as TCP's slow start does (on loopback it is at its
     * most within a few milliseconds).
     */
    static final int FIRST_ON_ITS_WAY = 256 * 1024;

    /** The smallest piece, on the slowest links; smaller ones step by a page. */
    static final int LEAST_PIECE = 16 * 1024;

    private static final int PAGE = 4 * 1024;

    /**
     * At most what the link moves in this long is on its way (or in two of its shortest round
     * trips, on a link whose round trip is longer, up to {@link #LONGEST_QUEUED}): chat shares the
     * connection, and a message sent during a transfer waits behind everything already queued
     * (2 MiB took 40 s at 50 KB/s and made every message sent meanwhile time out).
     */
    static final Duration MOST_QUEUED = Duration.ofSeconds(1);

    /**
     * The most the round trip term allows: a request's round trip includes the queue of the
     * connection's other transfers, so a transfer started behind another one measures a longer one,
     * and without a bound each would queue more than the last.
     */
    static final Duration LONGEST_QUEUED = Duration.ofSeconds(3);

    /**
     * How big a piece to use with {@code window} of them on their way, {@code through} bytes after
     * the transfer last (re)started. A cut connection wastes what was on its way (it is sent
     * again), so that stays within an eighth of what got through since the last cut, or the 2 MiB
     * it is at a start: on a link that keeps dropping pieces stay small, on one that holds they
     * grow to {@code most}, the other end's limit (fewer, larger pieces cost less CPU a byte).
     */
    static int piece(long through, int window, int most) {
        return (int) Math.min(most, Math.max(FIRST_PIECE, share(through / 8, window)));
    }

    /**
     * {@link #piece}, also held by what the link has shown it moves: at a (re)start to
     * {@link #FIRST_ON_ITS_WAY}, then to twice what has come back since, and once its speed is known
     * (its average over the last few seconds) to what it moves in {@link #MOST_QUEUED} or two of its
     * shortest round trips, whichever is longer, and in half the ack timeout; never under
     * {@link #LEAST_PIECE}.
     */
    final int pieceNow(long through, int window, int most) {
        return piece(through, window, most, pace(), Duration.ofNanos(shortestRoundTrip), context.ackTimeout());
    }

    /**
     * {@link #pieceNow} with the link's speed in bytes a second ({@code 0}: not known yet) and its
     * shortest round trip ({@code 0}: none yet).
     */
    static int piece(long through, int window, int most, double rate, Duration roundTrip, Duration ackTimeout) {
        long onItsWay = Math.max(FIRST_ON_ITS_WAY, 2 * through);
        if (rate > 0) {
            long millis =
                    Math.min(LONGEST_QUEUED.toMillis(), Math.max(MOST_QUEUED.toMillis(), 2 * roundTrip.toMillis()));
            double seconds = Math.min(millis, ackTimeout.toMillis() / 2.0) / 1000.0;
            onItsWay = Math.min(onItsWay, (long) (rate * seconds));
        }
        long byLink = Math.max(LEAST_PIECE, onItsWay / Math.max(1, window) / PAGE * PAGE);
        return (int) Math.min(piece(through, window, most), byLink);
    }

    /** One of {@code window} pieces that together hold {@code onItsWay} bytes, in whole steps. */
    private static long share(long onItsWay, int window) {
        return onItsWay / Math.max(1, window) / PIECE_STEP * PIECE_STEP;
    }

    /** A step of this transfer that may fail with an I/O error. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** An answer to a request of this transfer's, with when the request was made. */
    @FunctionalInterface
    interface Answer {
        void accept(long askedAt, List<Object> ack) throws Exception;
    }

    ActiveTransfer(FileTransfers.Context context, Direction direction, String name, long size) {
        this.context = context;
        this.serial = new SerialExecutor(context.pool());
        this.direction = direction;
        this.name = name;
        this.size = size;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Direction direction() {
        return direction;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public final void cancel() {
        cancelRequested = true; // seen by a long read (hashing a big file) before this task's turn
        run(() -> {
            if (!finished()) {
                generation++;
                cancelled();
                finish(TransferState.CANCELLED, "Cancelled");
            }
        });
    }

    /** Runs {@code step} on this transfer's thread; an exception it throws fails the transfer. */
    final void run(Step step) {
        serial.execute(() -> {
            try {
                step.run();
            } catch (Exception e) {
                if (!finished()) {
                    fail(describe(e));
                }
            }
        });
    }

    /**
     * Sends {@code event} for round {@code gen} of this transfer: the wire gives it up once the
     * transfer has moved on to another round, and {@code answer} runs on this transfer's thread.
     */
    final void ask(int gen, String event, List<Object> args, Answer answer) {
        long askedAt = System.nanoTime();
        context.wire().emit(event, args, () -> generation == gen, ack -> run(() -> answer.accept(askedAt, ack)));
    }

    /** Runs {@code step} on this transfer's thread after {@code delay}, unless the session closed. */
    final void later(Duration delay, Step step) {
        try {
            context.timers().schedule(() -> run(step), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the session closed, and this transfer with it
        }
    }

    /**
     * The other end answered a request made at {@code askedAt} (an ack, a read's bytes, a refusal;
     * one made before a restart too): the link is alive, and that is one of its round trips.
     */
    final void heard(long askedAt) {
        long now = System.nanoTime();
        lastHeard = now;
        long roundTrip = Math.max(1, now - askedAt);
        shortestRoundTrip = shortestRoundTrip == 0 ? roundTrip : Math.min(shortestRoundTrip, roundTrip);
    }

    /** Requests on their way were dropped and it starts again: its speed is measured afresh. */
    final void restarted() {
        double before = pacing.bytesPerSecond();
        if (before > 0) {
            pacedBefore = before;
        }
        pacing.reset();
    }

    /** The other end has {@code bytes} of the file, from an answer to data: paces the pieces. */
    final void landed(long bytes) {
        pacing.tick(bytes);
    }

    private double pace() {
        double now = pacing.bytesPerSecond();
        return now > 0 ? now : pacedBefore;
    }

    /**
     * Runs {@code overdue} on this transfer's thread when an answer {@code stillDue} says is due
     * has not come, and nothing else has been heard either, for a whole ack timeout. Answers come
     * in order over one connection, so on a slow link the last of a window comes long after it was
     * asked for while the ones before it keep arriving: that answer is queued, not lost. Giving up
     * on it would throw away everything on its way and ask again behind it; on a link slower than a
     * window per timeout a download then never caught up.
     */
    final void whenOverdue(BooleanSupplier stillDue, Step overdue) {
        later(context.ackTimeout(), () -> checkOverdue(stillDue, overdue));
    }

    private void checkOverdue(BooleanSupplier stillDue, Step overdue) throws Exception {
        if (finished() || !stillDue.getAsBoolean()) {
            return;
        }
        long quiet = System.nanoTime() - lastHeard;
        long timeout = context.ackTimeout().toNanos();
        if (quiet < timeout) {
            long millis = TimeUnit.NANOSECONDS.toMillis(timeout - quiet) + 1; // never early: no spin
            later(Duration.ofMillis(millis), () -> checkOverdue(stillDue, overdue));
            return;
        }
        overdue.run();
    }

    /** The connection is there again (a Parley host): go on from where it stopped. */
    abstract void resume() throws Exception;

    /** Cancelled on this end: tell the other end if need be, let go of files. */
    abstract void cancelled() throws Exception;

    /** Let go of open files; called once, when the transfer ends. */
    abstract void release();

    final boolean finished() {
        return state == TransferState.DONE || state == TransferState.CANCELLED || state == TransferState.FAILED;
    }

    final boolean paused() {
        return state == TransferState.PAUSED;
    }

    /** The connection dropped: requests on their way are lost; wait for it to come back. */
    final void pause() {
        if (finished() || paused()) {
            return;
        }
        generation++;
        state = TransferState.PAUSED;
        meter.reset();
        pacing.reset();
        pacedBefore = 0; // another connection, maybe another route: unknown again
        shortestRoundTrip = 0; // it may come back by another route
        publishNow(null);
    }

    /** Under way again, as of now. */
    final void running() {
        if (paused()) {
            state = TransferState.RUNNING;
            publishNow(null); // the window stops saying "paused" now, not at the next chunk
        }
    }

    /** {@code bytes} are done; publishes an event when one is due. */
    final void progress(long bytes) {
        doneBytes = bytes;
        if (meter.tick(bytes)) {
            publishNow(null);
        }
    }

    final long doneBytes() {
        return doneBytes;
    }

    final void fail(String reason) {
        finish(TransferState.FAILED, reason);
    }

    final void succeed() {
        doneBytes = size;
        finish(TransferState.DONE, null);
    }

    private void finish(TransferState end, String reason) {
        if (finished()) {
            return;
        }
        generation++;
        state = end;
        release();
        context.forget(this);
        publishNow(reason);
        if (end == TransferState.DONE) {
            done.complete(null);
        } else {
            done.completeExceptionally(new SessionException(reason));
        }
    }

    private void publishNow(String error) {
        context.publish()
                .accept(new SessionEvent.TransferProgress(
                        id, direction, name, size, doneBytes, meter.bytesPerSecond(), state, error));
    }

    /** An exception's message for people. */
    static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file: " + message;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Not allowed: " + message;
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
