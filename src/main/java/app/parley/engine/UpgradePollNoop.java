package app.parley.engine;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Completes the Engine.IO v4 polling-to-WebSocket upgrade the way Node's server does.
 *
 * <p>During an upgrade the client probes the WebSocket ({@code 2probe}), the server answers
 * {@code 3probe}, and the client then pauses polling: it waits for its pending {@code GET} to
 * finish and only then sends {@code 5} (upgrade) and flushes its buffered emits over the
 * WebSocket. The spec makes the server answer the pending {@code GET} with a noop ({@code 6}).
 * netty-socketio 2.0.14 ({@code PacketListener.onPacket}, case {@code PING} with data
 * {@code probe}) queues exactly one noop on the polling transport. But the noop and
 * {@code 3probe} travel on different TCP connections: when the noop arrives first, the client,
 * not yet upgrading, treats it as an ordinary poll response and polls again at once. That
 * second {@code GET} is answered by nothing but the next ping (25 s); the client, now paused on
 * it, never sends {@code 5}, so every emit and ack stalls. Worse, after 10 s the library's upgrade
 * timeout ends the session ({@code ClientHead.onChannelDisconnect}, which also cancels that ping),
 * so the client only gives up with "ping timeout" after 45 s. Node's engine.io keeps answering
 * polls with a noop every 100 ms while upgrading.
 *
 * <p>This handler watches WebSocket frames for {@code 2probe} and {@code 5} per session id (as
 * tagged by {@link EngineSessionTag}) and,
 * in between, answers any polling {@code GET} of that session itself with a noop. Packets the
 * host sends meanwhile stay on netty-socketio's queue, which the library moves to the WebSocket
 * on {@code 5}; if the WebSocket closes instead, polling simply resumes. Sits behind the HTTP
 * decoder/aggregator, so it sees whole requests and, after the WebSocket handshake, frames.
 */
@ChannelHandler.Sharable
final class UpgradePollNoop extends ChannelInboundHandlerAdapter {

    /** Session id to the time ({@link System#nanoTime()}) its client probed the WebSocket. */
    private final Map<String, Long> upgrading = new ConcurrentHashMap<>();
    private final long windowNanos;

    /** @param windowMillis longest an upgrade may take (netty-socketio's upgrade timeout) */
    UpgradePollNoop(long windowMillis) {
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            if (answeredWithNoop(ctx, request)) {
                return;
            }
        } else if (msg instanceof TextWebSocketFrame frame && frame.content().readableBytes() <= 6) {
            String sid = EngineSessionTag.websocketSid(ctx);
            if (sid != null) {
                String text = frame.text();
                if ("2probe".equals(text)) {
                    upgrading.put(sid, System.nanoTime());
                } else if ("5".equals(text)) {
                    upgrading.remove(sid);
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String sid = EngineSessionTag.websocketSid(ctx);
        if (sid != null) {
            upgrading.remove(sid);
        }
        super.channelInactive(ctx);
    }

    /** Answers a polling GET of an upgrading session. */
    private boolean answeredWithNoop(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())
                || !"polling".equals(EngineSessionTag.param(request, "transport"))) {
            return false;
        }
        String sid = EngineSessionTag.param(request, "sid");
        if (sid == null) {
            return false;
        }
        Long since = upgrading.get(sid);
        if (since == null) {
            return false;
        }
        if (System.nanoTime() - since > windowNanos) {
            upgrading.remove(sid, since);
            return false;
        }
        PollingAnswers.answer(ctx, request, "6");
        return true;
    }
}
