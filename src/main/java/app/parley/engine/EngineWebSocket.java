package app.parley.engine;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one WebSocket: either a session's own transport or, while upgrading from
 * polling, its probe ({@code 2probe}/{@code 3probe}, then {@code 5}). One Engine.IO packet per
 * frame. A malformed packet closes the session.
 */
final class EngineWebSocket extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWebSocket.class);

    private final EngineServer server;
    private final EngineSession session;
    private final WebSocketServerHandshaker handshaker;

    EngineWebSocket(EngineServer server, EngineSession session, WebSocketServerHandshaker handshaker) {
        this.server = server;
        this.session = session;
        this.handshaker = handshaker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame frame) {
                text(ctx, frame.text());
            } else if (msg instanceof BinaryWebSocketFrame frame) {
                packet(ctx, EngineFrame.binary(ByteBufUtil.getBytes(frame.content())));
            } else if (msg instanceof PingWebSocketFrame frame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame frame) {
                handshaker.close(ctx.channel(), frame.retain());
            } else if (msg instanceof ContinuationWebSocketFrame) {
                // fragments are joined by the aggregator in front; a stray one is a broken peer
                session.close("unexpected continuation frame", EngineSession.Farewell.CLOSE);
                ctx.close();
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
                LOG.debug("Session {}: {} on a probing WebSocket; closing it", session.sid(), text);
                ctx.close();
            }
            return;
        }
        packet(ctx, EngineFrame.text(text));
    }

    private void packet(ChannelHandlerContext ctx, EngineFrame frame) {
        if (!session.isCurrentWebSocket(ctx.channel())) {
            ctx.close();
            return;
        }
        String failure = server.receive(session, List.of(frame), ctx.channel());
        if (failure != null) {
            ThrottledLog.info(LOG, "closed sessions").log("Closing session {} from {}: {}", session.sid(), session.remoteAddress(), failure);
            session.close(failure, EngineSession.Farewell.CLOSE,
                    failure.startsWith(EngineServer.TOO_FAST) ? 1008 : 1002);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onWebSocketClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Session {}: WebSocket error {}", session.sid(), cause.toString());
        ctx.close();
    }
}
