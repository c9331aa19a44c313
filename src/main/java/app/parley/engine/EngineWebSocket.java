package app.parley.engine;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one WebSocket: either a session's own transport or, while upgrading from
 * polling, its probe ({@code 2probe}/{@code 3probe}, then {@code 5}). One Engine.IO packet per
 * message; fragments arrive here already joined ({@link WebSocketFraming}). A malformed packet
 * closes the session; a framing error ends this WebSocket with one close frame carrying its
 * RFC 6455 code.
 */
final class EngineWebSocket extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWebSocket.class);

    private final EngineServer server;
    private final EngineSession session;
    private final WebSocketServerHandshaker handshaker;
    /** A close frame for a framing error went out: whatever the peer still sends is dropped. */
    private boolean failed;

    EngineWebSocket(EngineServer server, EngineSession session, WebSocketServerHandshaker handshaker) {
        this.server = server;
        this.session = session;
        this.handshaker = handshaker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (failed) {
                if (msg instanceof CloseWebSocketFrame) {
                    ctx.close(); // the peer answers ours: the closing handshake is complete
                }
                return;
            }
            if (msg instanceof TextWebSocketFrame frame) {
                text(ctx, frame.text());
            } else if (msg instanceof BinaryWebSocketFrame frame) {
                packet(ctx, EngineFrame.binary(ByteBufUtil.getBytes(frame.content())));
            } else if (msg instanceof PingWebSocketFrame frame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame frame) {
                if (session.isCurrentWebSocket(ctx.channel()) && session.isClosed()) {
                    ctx.close(); // the peer answers the close frame the session already sent
                } else {
                    handshaker.close(ctx.channel(), frame.retain());
                }
            } else if (msg instanceof ContinuationWebSocketFrame) {
                // the decoder refuses a stray one before it gets here; kept as a guard
                fail(ctx, 1002, "continuation frame without a start");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void text(ChannelHandlerContext ctx, String text) {
        if (session.isProbe(ctx.channel())) {
            if ("2probe".equals(text)) {
                session.onProbe(ctx.channel());
            } else if ("5".equals(text)) {
                session.onUpgrade(ctx.channel());
            } else {
                fail(ctx, 1002, "unexpected packet on a probing WebSocket");
            }
            return;
        }
        packet(ctx, EngineFrame.text(text));
    }

    private void packet(ChannelHandlerContext ctx, EngineFrame frame) {
        if (!session.isCurrentWebSocket(ctx.channel())) {
            fail(ctx, 1002, "unexpected packet on a probing WebSocket");
            return;
        }
        String failure = server.receive(session, List.of(frame), ctx.channel());
        if (failure != null) {
            ThrottledLog.info(LOG, "closed sessions")
                    .log("Closing session {} from {}: {}", session.sid(), session.remoteAddress(), failure);
            session.close(
                    failure, EngineSession.Farewell.CLOSE, failure.startsWith(EngineServer.TOO_FAST) ? 1008 : 1002);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onWebSocketClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** Framing errors from the decoder, the UTF-8 check and the aggregator in front; the rest goes on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            int code = corrupted.closeStatus().code();
            fail(
                    ctx,
                    code,
                    switch (code) {
                        case 1009 -> tooBig();
                        case 1007 -> "invalid UTF-8 in a text message";
                        default -> corrupted.getMessage();
                    });
        } else if (cause instanceof TooLongFrameException) {
            fail(ctx, 1009, tooBig());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private String tooBig() {
        return "message over " + server.settings().maxPayload() + " bytes";
    }

    /**
     * Ends this WebSocket with exactly one close frame: the session's own goes out when this is
     * its transport (none if the session has already sent it); a probe gets one of its own and
     * the session carries on polling.
     */
    private void fail(ChannelHandlerContext ctx, int code, String reason) {
        if (failed) {
            return;
        }
        failed = true;
        Channel channel = ctx.channel();
        ThrottledLog.info(LOG, "broken WebSocket frames")
                .log(
                        "Closing WebSocket of session {} from {}: {} ({})",
                        session.sid(),
                        session.remoteAddress(),
                        reason,
                        code);
        if (session.isCurrentWebSocket(channel)) {
            session.close(reason, EngineSession.Farewell.CLOSE, code);
        } else if (channel.isActive()) {
            WebSocketFraming.closeAfter(channel, new CloseWebSocketFrame(code, EngineSession.closeReason(reason)));
        }
    }
}
