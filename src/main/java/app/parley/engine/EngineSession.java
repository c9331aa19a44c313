package app.parley.engine;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session: its outbox, which transport carries it, the pending long-poll
 * ({@link LongPoll}), the upgrade state and the heartbeat ({@link Heartbeat}). Every state change
 * holds the session's lock; I/O happens on Netty's channels, which are safe to write from any thread.
 *
 * <p>The rules are the specification's: one GET poll at a time (a second one closes the session),
 * a cancelled poll closes it, after an upgrade polling requests are refused, a ping every
 * {@code pingInterval} and the session closed when its pong is {@code pingTimeout} late.
 */
final class EngineSession {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSession.class);

    enum Transport {
        POLLING,
        WEBSOCKET
    }

    /** How a pending poll is answered when the session closes. */
    enum Farewell {
        /** {@code 6}: the client asked to close and its poll just ends. */
        NOOP,
        /** {@code 1}: the server closes the session. */
        CLOSE
    }

    private final String sid;
    private final EngineEndpoint endpoint;
    private final EngineSettings settings;
    private final EventLoop timers;
    private final Consumer<EngineSession> onClosed;
    private final ArrayDeque<EngineFrame> outbox = new ArrayDeque<>();
    private final String remoteAddress;

    private Transport transport;
    private Channel websocket;
    private Channel probe;
    private boolean upgraded;
    private boolean closed;
    private final long createdNanos = System.nanoTime();
    /** A batch of WebSocket frames is on its way; more wait in the outbox for the next one. */
    private boolean webSocketWriting;

    private final Heartbeat heartbeat;
    private volatile Object attachment;
    private final TokenBucket packets;
    private final Backlog backlog;
    private final LongPoll longPoll;

    /** Answers the GET poll a channel is waiting on. */
    interface PollingResponder {
        /** Status 200 with this payload. */
        void respond(byte[] payload);

        /** Status 400: the session no longer polls (it upgraded meanwhile). */
        void refuse();
    }

    EngineSession(
            String sid,
            Transport transport,
            EngineEndpoint endpoint,
            EngineSettings settings,
            EventLoop timers,
            String remoteAddress,
            Consumer<EngineSession> onClosed) {
        this.sid = sid;
        this.transport = transport;
        this.endpoint = endpoint;
        this.settings = settings;
        this.timers = timers;
        this.remoteAddress = remoteAddress;
        this.onClosed = onClosed;
        this.packets = new TokenBucket(
                settings.limits().packetBurst(), settings.limits().packetsPerSecond());
        this.heartbeat = new Heartbeat(this, settings, timers);
        this.backlog = new Backlog(this, timers);
        this.longPoll = new LongPoll(this, timers);
    }

    /** @return false when the client sends packets faster than {@link EngineLimits} allow */
    boolean admitPacket() {
        return packets.tryTake();
    }

    /** A packet admitted turned out to be paid otherwise ({@link SocketIoEngine#paidByItsAnswer}). */
    void refundPacket() {
        packets.giveBack();
    }

    String sid() {
        return sid;
    }

    EngineEndpoint endpoint() {
        return endpoint;
    }

    /** The event loop the session's timers run on. */
    EventLoop timers() {
        return timers;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    /** What the endpoint keeps with the session (Socket.IO: its netty-socketio client). */
    Object attachment() {
        return attachment;
    }

    void attach(Object value) {
        attachment = value;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized boolean isUpgraded() {
        return upgraded;
    }

    synchronized Transport transport() {
        return transport;
    }

    /** Starts the heartbeat: the first ping goes out one {@code pingInterval} from now. */
    synchronized void startHeartbeat() {
        heartbeat.schedulePing(createdNanos);
    }

    synchronized void onPong() {
        heartbeat.onPong();
    }

    /** Queues a packet and sends whatever the current transport can take now. */
    void send(EngineFrame frame) {
        synchronized (this) {
            if (closed || backlog.overflowed()) {
                return;
            }
            outbox.add(frame);
            backlog.add(frame);
        }
        flush();
    }

    void sendAll(List<EngineFrame> frames) {
        synchronized (this) {
            if (closed || backlog.overflowed()) {
                return;
            }
            for (int i = 0; i < frames.size(); i++) {
                outbox.add(frames.get(i));
                backlog.add(frames.get(i));
            }
        }
        flush();
    }

    /** Bytes waiting for this client: queued, or handed to a WebSocket write that has not finished. */
    synchronized long backlog() {
        return backlog.bytes();
    }

    /** Moves the endpoint's queued packets into the outbox and sends what the transport can take. */
    void flush() {
        List<EngineFrame> batch;
        Channel ws;
        PollingResponder responder;
        synchronized (this) {
            if (closed || outbox.isEmpty()) {
                return;
            }
            if (transport == Transport.WEBSOCKET && websocket != null) {
                if (webSocketWriting) {
                    return; // sent as the next batch once the current one is written
                }
                webSocketWriting = true;
                ws = websocket;
                responder = null;
            } else if (transport == Transport.POLLING && longPoll.isPending()) {
                ws = null;
                responder = longPoll.take();
            } else {
                return;
            }
            if (outbox.size() == 1) {
                batch = List.of(outbox.poll());
            } else {
                batch = new ArrayList<>(outbox);
                outbox.clear();
            }
            backlog.handedOut(ws != null);
        }
        if (ws != null) {
            if (ws.eventLoop().inEventLoop()) {
                writeBatch(ws, batch);
            } else {
                // One task on the channel's own loop instead of one per write and one for the flush.
                ws.eventLoop().execute(() -> writeBatch(ws, batch));
            }
        } else {
            responder.respond(EngineFrame.payload(batch));
        }
    }

    /** Writes one batch on the WebSocket's event loop; what was queued meanwhile follows as the next. */
    private void writeBatch(Channel ws, List<EngineFrame> batch) {
        // Only the last write's outcome is waited for: the ones before it share one void promise
        // that reports nothing (no promise object each, and a closed channel's failures are not
        // logged once a frame; the last write fails with them).
        int last = batch.size() - 1;
        io.netty.channel.VoidChannelPromise unheard =
                last > 0 ? new io.netty.channel.VoidChannelPromise(ws, false) : null;
        for (int i = 0; i < last; i++) {
            ws.write(batch.get(i).toWebSocket(), unheard);
        }
        io.netty.channel.ChannelFuture written = ws.write(batch.get(last).toWebSocket());
        ws.flush();
        // Like Node's engine.io: what is queued while a batch is being written goes out as the
        // next batch, once this one is written, on a later turn of the event loop. Packets
        // queued together (a CONNECT answer and what the connection handler emits) thus leave
        // in separate writes, which some clients need to see them one at a time.
        written.addListener(done -> ws.eventLoop().execute(() -> {
            synchronized (this) {
                webSocketWriting = false;
                backlog.written();
            }
            flush();
        }));
    }

    /** A polling client sent {@code 1} (close): see {@link LongPoll#closeByPollingClient()}. */
    void closeByPollingClient() {
        longPoll.closeByPollingClient();
    }

    /** A GET poll arrived; false when it is refused (see {@link LongPoll#poll}). */
    boolean poll(Channel channel, PollingResponder responder) {
        return longPoll.poll(channel, responder);
    }

    /** Whether a WebSocket probes and nothing waits to be sent, so a poll is held; the caller holds the lock. */
    boolean isProbingWithEmptyOutbox() {
        return probe != null && outbox.isEmpty();
    }

    /** The WebSocket of a direct WebSocket session (no upgrade). */
    synchronized void attachWebSocket(Channel channel) {
        websocket = channel;
        upgraded = true;
    }

    /** A WebSocket with this session's sid opened: it may probe. False when one is already there. */
    synchronized boolean beginProbe(Channel channel) {
        if (closed || upgraded || probe != null || transport != Transport.POLLING) {
            return false;
        }
        probe = channel;
        return true;
    }

    /**
     * {@code 2probe} on the probing WebSocket: answer {@code 3probe}, end the pending poll with a
     * noop. Not a held one: it came after this WebSocket opened, and the {@code 5} a client may send
     * right behind its {@code 2probe} refuses it (or its hold ends it with a noop). Ended here, it
     * would get a 200 that depends on which of two connections the server read first.
     */
    void onProbe(Channel channel) {
        PollingResponder responder = null;
        synchronized (this) {
            if (channel != probe) {
                return;
            }
            responder = longPoll.takeUnlessHeld();
        }
        channel.writeAndFlush(new TextWebSocketFrame("3probe"));
        if (responder != null) {
            responder.respond(EngineFrame.payload(List.of(EngineFrame.NOOP)));
        }
    }

    /** {@code 5} on the probing WebSocket: from now on everything goes over it. */
    void onUpgrade(Channel channel) {
        PollingResponder responder;
        synchronized (this) {
            if (channel != probe) {
                return;
            }
            probe = null;
            websocket = channel;
            transport = Transport.WEBSOCKET;
            upgraded = true;
            responder = longPoll.take();
        }
        if (responder != null) {
            responder.refuse();
        }
        flush();
        endpoint.onUpgrade(this);
    }

    /** The probing or current WebSocket closed. */
    void onWebSocketClosed(Channel channel) {
        boolean sessionOver;
        synchronized (this) {
            if (channel == probe) {
                probe = null;
                return;
            }
            sessionOver = channel == websocket;
        }
        if (sessionOver) {
            close("transport close", Farewell.CLOSE);
        }
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    static String closeReason(String reason) {
        String cut = reason;
        while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    synchronized boolean isCurrentWebSocket(Channel channel) {
        return channel == websocket;
    }

    synchronized boolean isProbe(Channel channel) {
        return channel == probe;
    }

    /**
     * Ends the session once: timers stop, a pending poll gets its farewell, the WebSocket is
     * closed, the endpoint hears why.
     */
    void close(String reason, Farewell farewell) {
        close(reason, farewell, 1000);
    }

    /**
     * @param webSocketStatus the WebSocket close code: 1000 normal, 1002 protocol error, 1008
     *                        policy (a limit); the reason travels with it
     */
    void close(String reason, Farewell farewell, int webSocketStatus) {
        PollingResponder responder;
        Channel ws;
        Channel probing;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            heartbeat.stop();
            responder = longPoll.take();
            ws = websocket;
            probing = probe;
            outbox.clear();
            backlog.clear();
        }
        LOG.debug("Session {} closed: {}", sid, reason);
        onClosed.accept(this);
        if (responder != null) {
            responder.respond(
                    EngineFrame.payload(List.of(farewell == Farewell.NOOP ? EngineFrame.NOOP : EngineFrame.CLOSE)));
        }
        if (ws != null && ws.isActive()) {
            WebSocketFraming.closeAfter(ws, new CloseWebSocketFrame(webSocketStatus, closeReason(reason)));
        }
        if (probing != null && probing.isActive()) {
            probing.close();
        }
        endpoint.onClose(this, reason);
    }
}
