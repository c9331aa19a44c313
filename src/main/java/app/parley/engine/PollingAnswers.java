package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/** Answers a polling request from one of Parley's own handlers, the way netty-socketio would. */
public final class PollingAnswers {
    private PollingAnswers() {
    }

    /** Sends {@code body} as a 200 text answer to {@code request} (released here), then closes. */
    public static void answer(ChannelHandlerContext ctx, FullHttpRequest request, String body) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        ReferenceCountUtil.release(request);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        // The same CORS answer netty-socketio gives its own poll responses (OriginGuard has
        // already refused origins that are not allowed).
        if (origin != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        } else {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        // netty-socketio closes every polling connection after its response; do the same.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
