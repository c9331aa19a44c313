package app.parley.host;

import app.parley.engine.RecoveryOffset;
import app.parley.engine.SocketIoEngine;
import app.parley.engine.ThrottledLog;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.WireCodec;
import app.parley.store.FileShelf;
import app.parley.store.StoreException;
import app.parley.store.StoredMessage;
import com.corundumstudio.socketio.SocketIOClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a reconnecting socket what it missed, a page at a time, and only while the client reads:
 * a page is read in order with routing, and the next waits while more than {@link #HIGH_WATER}
 * bytes wait for the client. A client that stops reading for {@link #STALL_MILLIS} is
 * disconnected. The last step, under the history's lock, sends what came meanwhile and then puts
 * the socket where live traffic reaches it ({@code goLive}), so nothing live overtakes the replay
 * and nothing falls between the two.
 */
final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    /** Messages read and sent in one step. */
    static final int PAGE = 20;
    /** Netty's own default for a channel's writability: past it, the replay waits. */
    static final long HIGH_WATER = 64 * 1024;

    static final long STALL_MILLIS = 20_000;
    private static final long RECHECK_MILLIS = 50;

    private final History history;
    private final SocketIoEngine engine;
    private final SocketIOClient client;
    private final String reader;
    /** Where a file's bytes are, to mark one that expired. */
    private final FileShelf shelf;
    /**
     * Given the conversations the replay covers, those it must take on in its last step: direct
     * conversations that moved while it ran ({@link Resume#movedSincePlan}). Runs under the lock.
     */
    private final Function<Set<String>, List<Resume.Cursor>> lateComers;
    /** Tells the client where the late comers start, before any of them is sent ({@link ChatRequests#startsAt}). */
    private final Consumer<Map<String, Long>> startsAt;

    private final Runnable goLive;
    private final ScheduledExecutorService timer;
    /**
     * How long a recovery from another host waits, at its end, for this host to have delivered what
     * the socket had already reached there: anything this host delivers later would come twice.
     * Gaps are filled from the store within a few seconds ({@link LiveOrder}).
     */
    static final long CATCH_UP_MILLIS = 10_000;

    /** A recovery from another host: it goes live only once this host has caught up ({@link #CATCH_UP_MILLIS}). */
    private boolean catchUp;
    /** When waiting to catch up ends in failure; 0 until the first wait. */
    private long catchUpBy;
    /** The recovery offset every message carries, or -1: each its own position. */
    private long offset = -1;
    /** Where pages come from: one conversation by seq, or the whole store by position. */
    private final Source source;
    /** Whether the reader gets a message the source read (a recovery skips what it may not read). */
    private final Predicate<StoredMessage> shown;
    /** Conversations not caught up with yet, the current one first. Touched by one step at a time. */
    private final Deque<Resume.Cursor> behind = new ArrayDeque<>();
    /** Conversations caught up with once; the last step checks them again. */
    private final List<Resume.Cursor> caughtUp = new ArrayList<>();

    private long waitingSince;
    /** In a cluster, the order live messages are delivered in here ({@link #inOrderWith}); else null. */
    private LiveOrder order;
    /** What a replay that could not read its pages does instead of going live ({@link #onFailure}); null: go live. */
    private Consumer<String> failure;

    Replay(
            History history,
            SocketIoEngine engine,
            SocketIOClient client,
            String reader,
            FileShelf shelf,
            List<Resume.Cursor> cursors,
            Function<Set<String>, List<Resume.Cursor>> lateComers,
            Consumer<Map<String, Long>> startsAt,
            Runnable goLive,
            ScheduledExecutorService timer) {
        this(history, engine, client, reader, shelf, cursors, lateComers, startsAt, goLive, timer, null, m -> true);
    }

    private Replay(
            History history,
            SocketIoEngine engine,
            SocketIOClient client,
            String reader,
            FileShelf shelf,
            List<Resume.Cursor> cursors,
            Function<Set<String>, List<Resume.Cursor>> lateComers,
            Consumer<Map<String, Long>> startsAt,
            Runnable goLive,
            ScheduledExecutorService timer,
            Source source,
            Predicate<StoredMessage> shown) {
        this.source = source != null ? source : bySeq(history);
        this.shown = shown;
        this.history = history;
        this.engine = engine;
        this.client = client;
        this.reader = reader;
        this.shelf = shelf;
        this.lateComers = lateComers;
        this.startsAt = startsAt;
        this.goLive = goLive;
        this.timer = timer;
        behind.addAll(cursors);
    }

    /**
     * The replay of a recovered socket (docs/PROTOCOL.md §16): every message routed after
     * {@code position}, in the order it was routed, that {@code shown} lets through, with its
     * position as the recovery offset; then {@code goLive}.
     */
    static Replay recovery(
            History history,
            Positions positions,
            SocketIoEngine engine,
            SocketIOClient client,
            FileShelf shelf,
            long position,
            Predicate<StoredMessage> shown,
            Runnable goLive,
            ScheduledExecutorService timer) {
        return new Replay(
                history,
                engine,
                client,
                null, // as live routing sends them: mine only for Parley's own resume
                shelf,
                List.of(new Resume.Cursor("", position, Integer.MAX_VALUE)),
                covered -> List.of(),
                starts -> {},
                goLive,
                timer,
                byPosition(positions),
                shown);
    }

    /**
     * The replay of a socket that recovers on another host than the one it lost (docs/PROTOCOL.md
     * §16.1): each conversation after the seq it had reached there, in seq order, what {@code shown}
     * lets through, as live routing sends them; every message carries {@code offset} (this host's
     * position when the replay began: the other host's numbers mean nothing here). Pages stop at what
     * {@code order} has delivered here: a message another host stored is in the store before it is
     * delivered here, and would otherwise come twice, read in a page and then live.
     */
    static Replay recoveryAcross(
            History history,
            LiveOrder order,
            SocketIoEngine engine,
            SocketIOClient client,
            FileShelf shelf,
            List<Resume.Cursor> cursors,
            Function<Set<String>, List<Resume.Cursor>> lateComers,
            long offset,
            Predicate<StoredMessage> shown,
            Runnable goLive,
            ScheduledExecutorService timer) {
        Replay replay = new Replay(
                history,
                engine,
                client,
                null,
                shelf,
                cursors,
                lateComers,
                starts -> {},
                goLive,
                timer,
                bySeqDelivered(history, order),
                shown);
        replay.offset = offset;
        replay.catchUp = true;
        return replay.inOrderWith(order);
    }

    /** Where a cursor reads its next page, and what a message it sent moves it to. */
    private interface Source {
        List<StoredMessage> after(Resume.Cursor cursor, int limit);

        long mark(StoredMessage message);

        /**
         * Under {@link LiveOrder}'s lock, in a cluster: what this host delivered live after
         * {@code cursor}, which the last pages, read outside that lock, may have missed.
         */
        List<StoredMessage> deliveredSince(Resume.Cursor cursor, LiveOrder order);
    }

    /** Parley's resume: the cursor's conversation, after a seq. */
    private static Source bySeq(History history) {
        return new Source() {
            @Override
            public List<StoredMessage> after(Resume.Cursor cursor, int limit) {
                return history.store().after(cursor.conversation(), cursor.after(), limit);
            }

            @Override
            public long mark(StoredMessage message) {
                return message.seq();
            }

            @Override
            public List<StoredMessage> deliveredSince(Resume.Cursor cursor, LiveOrder order) {
                long delivered = order.delivered(cursor.conversation());
                if (delivered <= cursor.after()) {
                    return List.of();
                }
                return history
                        .store()
                        .after(cursor.conversation(), cursor.after(), (int) Math.min(500, delivered - cursor.after()))
                        .stream()
                        .filter(stored -> stored.seq() <= delivered)
                        .toList();
            }
        };
    }

    /** {@link #bySeq}, up to what {@code order} has delivered on this host: the rest comes live. */
    private static Source bySeqDelivered(History history, LiveOrder order) {
        Source bySeq = bySeq(history);
        return new Source() {
            @Override
            public List<StoredMessage> after(Resume.Cursor cursor, int limit) {
                long delivered = order.delivered(cursor.conversation());
                return bySeq.after(cursor, limit).stream()
                        .filter(stored -> stored.seq() <= delivered)
                        .toList();
            }

            @Override
            public long mark(StoredMessage message) {
                return bySeq.mark(message);
            }

            @Override
            public List<StoredMessage> deliveredSince(Resume.Cursor cursor, LiveOrder liveOrder) {
                return bySeq.deliveredSince(cursor, liveOrder);
            }
        };
    }

    /** A recovery: every conversation, after a position ({@link Positions}). */
    private static Source byPosition(Positions positions) {
        return new Source() {
            @Override
            public List<StoredMessage> after(Resume.Cursor cursor, int limit) {
                return positions.after(cursor.after(), limit);
            }

            @Override
            public long mark(StoredMessage message) {
                return message.position();
            }

            @Override
            public List<StoredMessage> deliveredSince(Resume.Cursor cursor, LiveOrder order) {
                // Nothing is routed while the lock is held, so this ends.
                List<StoredMessage> all = new ArrayList<>();
                long after = cursor.after();
                for (List<StoredMessage> page = positions.after(after, 500);
                        !page.isEmpty();
                        page = positions.after(after, 500)) {
                    all.addAll(page);
                    after = page.get(page.size() - 1).position();
                }
                return all;
            }
        };
    }

    /**
     * In a cluster ({@code order} not null): other hosts' messages are delivered here outside the
     * history's lock, so the socket goes live under {@code order}'s, after what was delivered since
     * the last pages were read ({@link #goLiveInOrder}).
     */
    Replay inOrderWith(LiveOrder liveOrder) {
        this.order = liveOrder;
        return this;
    }

    /**
     * A replay that cannot read what it must send (the store is unreachable) calls {@code then}
     * with the reason instead of putting the socket live with a gap.
     */
    Replay onFailure(Consumer<String> then) {
        this.failure = then;
        return this;
    }

    /** Runs the first step now: the caller is on the history thread, under the lock. */
    void startUnderLock() {
        if (behind.isEmpty()) {
            goLiveInOrder(List.of());
        } else {
            later(0);
        }
    }

    private void step() {
        if (!client.isChannelOpen()) {
            return;
        }
        long backlog = engine.backlog(client);
        if (backlog > HIGH_WATER) {
            // Stalled is over the mark all along: a slow reader gets under it now and then.
            long now = System.nanoTime();
            if (waitingSince == 0) {
                waitingSince = now;
            } else if (now - waitingSince > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                ThrottledLog.info(LOG, "stalled replays")
                        .log("Disconnecting {}: it stopped reading its replay", client.getSessionId());
                engine.closeConnection(client, "stopped reading (the replay waited " + STALL_MILLIS / 1000 + " s)");
                return;
            }
            later(RECHECK_MILLIS);
            return;
        }
        waitingSince = 0;
        if (!behind.isEmpty()) {
            Resume.Cursor cursor = behind.peek();
            history.readInBackground(
                    () -> withinHighWater(source.after(cursor, Math.min(PAGE, cursor.left()))),
                    page -> onPage(cursor, page),
                    this::failed);
        } else {
            // The last step: everything caught up with is read again under the lock, with the
            // direct conversations that moved meanwhile, and only when nothing in it fills a page
            // does the socket go live in the same breath.
            history.readInBackground(
                    () -> {
                        List<Resume.Cursor> cursors = new ArrayList<>(caughtUp);
                        Set<String> covered = new HashSet<>();
                        caughtUp.forEach(c -> covered.add(c.conversation()));
                        List<Resume.Cursor> late = lateComers.apply(covered);
                        cursors.addAll(late);
                        List<List<StoredMessage>> pages = new ArrayList<>();
                        for (Resume.Cursor cursor : cursors) {
                            pages.add(
                                    cursor.left() <= 0
                                            ? List.of()
                                            : source.after(cursor, Math.min(PAGE, cursor.left())));
                        }
                        Map<String, Long> lateStarts = new LinkedHashMap<>();
                        late.forEach(c -> lateStarts.put(c.conversation(), c.after()));
                        return new LastPages(cursors, pages, lateStarts);
                    },
                    this::onLastPages,
                    this::failed);
        }
    }

    /**
     * Under the lock; the sending and the next step leave the history thread to the writers. The
     * page is sent while the client keeps up: what is left is read again in a later step.
     */
    private void onPage(Resume.Cursor cursor, List<StoredMessage> page) {
        run(() -> {
            behind.poll();
            Resume.Cursor next = cursor;
            int sent = 0;
            for (StoredMessage stored : page) {
                if (sent > 0 && engine.backlog(client) > HIGH_WATER) {
                    break;
                }
                send(stored);
                next = next.advancedTo(source.mark(stored), 1);
                sent++;
            }
            if (sent == page.size() && !(page instanceof Trimmed) && (page.size() < PAGE || next.left() <= 0)) {
                caughtUp.add(next);
            } else {
                behind.addFirst(next);
            }
            step();
        });
    }

    /**
     * The front of a page that fits under {@link #HIGH_WATER} (at least one message): pages wait
     * for the sending thread, and long messages must not make them pile up there. The rest is read
     * again next time; a short page does not count as caught up unless the page was whole.
     */
    private static List<StoredMessage> withinHighWater(List<StoredMessage> page) {
        long size = 0;
        for (int i = 0; i < page.size(); i++) {
            size += page.get(i).message().text().length();
            if (size > HIGH_WATER && i > 0) {
                return new Trimmed(page.subList(0, i));
            }
        }
        return page;
    }

    /** A page cut by {@link #withinHighWater}: there is more right behind it. */
    private static final class Trimmed extends java.util.AbstractList<StoredMessage> {
        private final List<StoredMessage> front;

        Trimmed(List<StoredMessage> front) {
            this.front = List.copyOf(front);
        }

        @Override
        public StoredMessage get(int index) {
            return front.get(index);
        }

        @Override
        public int size() {
            return front.size();
        }
    }

    /** What the last step read: a page after each cursor, in the same order. */
    private record LastPages(
            List<Resume.Cursor> cursors, List<List<StoredMessage>> pages, Map<String, Long> lateStarts) {}

    private void onLastPages(LastPages last) {
        startsAt.accept(last.lateStarts());
        List<List<StoredMessage>> pages = last.pages();
        boolean full = false;
        List<Resume.Cursor> again = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            List<StoredMessage> page = pages.get(i);
            Resume.Cursor cursor = last.cursors().get(i);
            Resume.Cursor next =
                    page.isEmpty() ? cursor : cursor.advancedTo(source.mark(page.get(page.size() - 1)), page.size());
            again.add(next);
            full |= page.size() == PAGE && next.left() > 0;
        }
        caughtUp.clear();
        if (full) {
            behind.addAll(again); // much came meanwhile: another round, paced like the first
            run(() -> {
                pages.forEach(this::send);
                step();
            });
            return;
        }
        pages.forEach(this::send);
        goLiveInOrder(again);
    }

    /**
     * Live from here. In a cluster, first what this host delivered live after the last pages were
     * read (another host's message may come in between: it is not under the history's lock), read
     * from the store and sent before anything live can reach the socket.
     */
    private void goLiveInOrder(List<Resume.Cursor> reached) {
        if (order == null) {
            goLive.run();
            return;
        }
        order.exclusively(() -> {
            if (catchUp && reached.stream().anyMatch(c -> order.delivered(c.conversation()) < c.after())) {
                long now = System.nanoTime();
                if (catchUpBy == 0) {
                    catchUpBy = now + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS);
                }
                if (now - catchUpBy > 0) {
                    failed("this host did not catch up with the one it left within " + CATCH_UP_MILLIS / 1000 + " s");
                    return;
                }
                // The last step again a moment later, paced like the first: what came meanwhile is
                // read in pages, direct conversations begun meanwhile are taken on, and a socket
                // gone meanwhile ends it.
                caughtUp.addAll(reached);
                later(RECHECK_MILLIS);
                return;
            }
            try {
                for (Resume.Cursor cursor : reached) {
                    source.deliveredSince(cursor, order).forEach(this::send);
                }
            } catch (StoreException e) {
                failed(e.getMessage());
                return;
            }
            goLive.run();
        });
    }

    private void send(List<StoredMessage> page) {
        page.forEach(this::send);
    }

    private void send(StoredMessage stored) {
        if (!shown.test(stored)) {
            return;
        }
        ChatMessage message = Conversations.fromStore(stored, reader, shelf);
        client.sendEvent(
                ChatEvents.RECEIVE_MESSAGE,
                message.text(),
                WireCodec.encodeMeta(message),
                RecoveryOffset.at(offset >= 0 ? offset : stored.position()));
    }

    private void failed(String reason) {
        ThrottledLog.warn(LOG, "replay failures")
                .log("Could not replay history to {}: {}", client.getSessionId(), reason);
        if (failure != null) {
            failure.accept(reason);
        } else {
            goLive.run();
        }
    }

    private void later(long millis) {
        try {
            timer.schedule(this::step, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the host is stopping
        }
    }

    private void run(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // the host is stopping
        }
    }
}
