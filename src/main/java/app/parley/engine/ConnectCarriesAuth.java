package app.parley.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Makes every Socket.IO CONNECT carry an auth payload. netty-socketio 2.0.14 calls a namespace's
 * auth listeners only for a CONNECT with data; a bare {@code 40} (or {@code 40/custom,}) skips
 * them, so whatever the server does on a real connection (admission, a password check, the spec
 * suite's {@code auth} echo) would never run. A bare CONNECT is rewritten to carry {@code {}},
 * an empty auth object, which is what it means.
 */
@ChannelHandler.Sharable
final class ConnectCarriesAuth extends ChannelInboundHandlerAdapter {
    private static final char RECORD_SEPARATOR = '\u001e';

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame frame && isConnect(frame.content())) {
            String rewritten = withEmptyAuth(frame.text());
            if (rewritten != null) {
                ReferenceCountUtil.release(msg);
                ctx.fireChannelRead(new TextWebSocketFrame(rewritten));
                return;
            }
        } else if (msg instanceof FullHttpRequest request && HttpMethod.POST.equals(request.method())
                && "polling".equals(EngineSessionTag.param(request, "transport"))) {
            rewritePollingBody(request);
        }
        ctx.fireChannelRead(msg);
    }

    private static void rewritePollingBody(FullHttpRequest request) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (!body.contains("40")) {
            return;
        }
        StringBuilder out = new StringBuilder(body.length() + 8);
        boolean changed = false;
        for (String record : body.split(String.valueOf(RECORD_SEPARATOR), -1)) {
            String rewritten = record.startsWith("40") ? withEmptyAuth(record) : null;
            changed |= rewritten != null;
            out.append(out.length() == 0 ? "" : String.valueOf(RECORD_SEPARATOR))
                    .append(rewritten == null ? record : rewritten);
        }
        if (changed) {
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            request.content().clear().writeBytes(bytes);
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
    }

    /** {@code 40} → {@code 40{}}, {@code 40/ns,} or {@code 40/ns} → {@code 40/ns,{}}; null if it has data. */
    static String withEmptyAuth(String packet) {
        if (packet.equals("40")) {
            return "40{}";
        }
        if (packet.startsWith("40/")) {
            int comma = packet.indexOf(',');
            if (comma < 0) {
                return packet + ",{}";
            }
            if (comma == packet.length() - 1) {
                return packet + "{}";
            }
        }
        return null;
    }

    private static boolean isConnect(ByteBuf content) {
        int i = content.readerIndex();
        return content.readableBytes() >= 2 && content.readableBytes() < 300
                && content.getByte(i) == '4' && content.getByte(i + 1) == '0';
    }
}
