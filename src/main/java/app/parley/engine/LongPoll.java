package app.parley.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling session's pending GET: at most one at a time (a second one closes the session), a
 * cancelled one closes it, one that comes while a WebSocket probes is held briefly, and a close
 * sent by POST waits a moment for the GET that may be racing it. Its state is guarded by the
 * session's lock; the methods that take it say so.
 */
final class LongPoll {
    private static final Logger LOG = LoggerFactory.getLogger(LongPoll.class);

    /**
     * How long a GET that arrives while a WebSocket probes is held before it is ended with a
     * noop. A client that has already sent {@code 5} on the WebSocket (on another connection,
     * maybe handled on another thread) gets the 400 it should; one that is waiting for its poll to
     * end before upgrading gets the noop a moment later.
     */
    private static final long PROBE_POLL_HOLD_MILLIS = 30;
    /** How long a close sent by POST waits for the GET that may be racing it. */
    private static final long CLOSE_WAIT_MILLIS = 50;

    private final EngineSession session;
    private final EventLoop timers;
    private Channel pending;
    private EngineSession.PollingResponder responder;
    /** Whether {@link #pending} came while a WebSocket probed, and so is held (see {@link #PROBE_POLL_HOLD_MILLIS}). */
    private boolean held;

    private boolean closeRequested;

    LongPoll(EngineSession session, EventLoop timers) {
        this.session = session;
        this.timers = timers;
    }

    /** Whether a GET is waiting for packets; the caller holds the session's lock. */
    boolean isPending() {
        return pending != null;
    }

    /**
     * The pending poll's responder, which the caller now answers (outside the lock), or null when
     * none is pending; no poll is pending afterwards. The caller holds the session's lock.
     */
    EngineSession.PollingResponder take() {
        EngineSession.PollingResponder taken = responder;
        pending = null;
        responder = null;
        return taken;
    }

    /** {@link #take()}, unless the pending poll is held (it is left to its hold); the caller holds the lock. */
    EngineSession.PollingResponder takeUnlessHeld() {
        return held ? null : take();
    }

    /**
     * A polling client sent {@code 1} (close). Its pending poll ends with a noop; when none is
     * pending yet (the GET it sent alongside may still be on its way, on another connection
     * handled by another thread), the next poll within {@link #CLOSE_WAIT_MILLIS} gets that noop,
     * and the session ends either way. Takes the session's lock.
     */
    void closeByPollingClient() {
        synchronized (session) {
            if (session.isClosed()) {
                return;
            }
            if (pending == null) {
                closeRequested = true;
                timers.schedule(
                        () -> session.close("client close", EngineSession.Farewell.NOOP),
                        CLOSE_WAIT_MILLIS,
                        TimeUnit.MILLISECONDS);
                return;
            }
        }
        session.close("client close", EngineSession.Farewell.NOOP);
    }

    /**
     * A GET poll arrived. Refused (returns false) when another poll is pending; the session is then
     * closed as the specification demands. Takes the session's lock.
     */
    boolean poll(Channel channel, EngineSession.PollingResponder pollResponder) {
        PollAction action;
        synchronized (session) {
            if (session.isClosed()) {
                return false;
            }
            if (pending != null) {
                action = PollAction.OVERLAP;
            } else {
                pending = channel;
                responder = pollResponder;
                action = closeRequested
                        ? PollAction.END_WITH_NOOP
                        : session.isProbingWithEmptyOutbox() ? PollAction.HOLD : PollAction.WAIT;
                held = action == PollAction.HOLD;
            }
        }
        switch (action) {
            case OVERLAP -> {
                LOG.debug("Session {}: overlapping GET polls; closing it", session.sid());
                session.close("overlapping polls", EngineSession.Farewell.CLOSE);
                return false;
            }
            case END_WITH_NOOP -> session.close("client close", EngineSession.Farewell.NOOP);
            case HOLD -> timers.schedule(() -> endHeldPoll(channel), PROBE_POLL_HOLD_MILLIS, TimeUnit.MILLISECONDS);
            case WAIT -> {
                channel.closeFuture().addListener((ChannelFutureListener) f -> pollCancelled(channel));
                session.flush();
            }
        }
        return true;
    }

    /** What a GET poll leads to. */
    private enum PollAction {
        /** another poll is pending: the session ends */
        OVERLAP,
        /** the client already asked to close: this poll ends with a noop, and the session */
        END_WITH_NOOP,
        /** an upgrade is being probed: answered with a noop shortly, unless the upgrade completes */
        HOLD,
        /** waits for packets to send */
        WAIT
    }

    private void endHeldPoll(Channel channel) {
        EngineSession.PollingResponder taken;
        synchronized (session) {
            if (session.isClosed() || pending != channel) {
                return;
            }
            taken = take();
        }
        taken.respond(EngineFrame.payload(List.of(EngineFrame.NOOP)));
    }

    private void pollCancelled(Channel channel) {
        boolean cancelled;
        synchronized (session) {
            cancelled = !session.isClosed() && pending == channel;
        }
        if (cancelled) {
            session.close("poll cancelled", EngineSession.Farewell.CLOSE);
        }
    }
}
