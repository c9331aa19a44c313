package app.parley.engine;

import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Tags each WebSocket channel with the Engine.IO session id of its upgrade request, once, for the
 * handlers behind it ({@link UpgradePollNoop}, {@link InboundPacketFilter}) that look at frames.
 * Also the one place that reads Engine.IO query parameters for them.
 */
@ChannelHandler.Sharable
public final class EngineSessionTag extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<String> WEBSOCKET_SID = AttributeKey.valueOf("parleyWebSocketSid");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && "websocket".equals(param(request, "transport"))) {
            String sid = param(request, "sid");
            if (sid != null) {
                ctx.channel().attr(WEBSOCKET_SID).set(sid);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The session of a WebSocket channel: from its upgrade request, or, for a WebSocket opened
     * directly (no sid in its URL), from netty-socketio's channel state. Null before either exists.
     */
    public static String websocketSid(ChannelHandlerContext ctx) {
        String sid = ctx.channel().attr(WEBSOCKET_SID).get();
        if (sid == null) {
            ClientHead head = ctx.channel().attr(ClientHead.CLIENT).get();
            sid = head == null ? null : head.getSessionId().toString();
        }
        return sid;
    }

    /** A query parameter of an Engine.IO request ({@code sid}, {@code transport}), or null. */
    public static String param(HttpRequest request, String name) {
        if (!request.uri().contains(name + "=")) {
            return null;
        }
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
