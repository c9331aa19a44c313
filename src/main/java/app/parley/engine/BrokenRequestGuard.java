package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a request the HTTP decoder could not read whole, before anything else looks at it.
 * Netty's decoder hands such a request on with what it read so far and a failed
 * {@link DecoderResult}: served, it would skip every header past the cut, the {@code Origin}
 * among them. Headers over the limit get {@code 431}, a request line over it {@code 414}, any
 * other failure {@code 400}; the connection is closed, since the decoder reads nothing more on it.
 */
@ChannelHandler.Sharable
final class BrokenRequestGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BrokenRequestGuard.class);

    private final int maxHeaderBytes;
    private final int maxLineBytes;

    BrokenRequestGuard(int maxHeaderBytes, int maxLineBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DecoderResultProvider provider)
                || provider.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable cause = provider.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        if (!ctx.channel().isActive()) {
            return; // the decoder's leftover of a request cut short by the close
        }
        HttpResponseStatus status;
        String reason;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            reason = "request headers larger than " + maxHeaderBytes + " bytes";
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            reason = "request line longer than " + maxLineBytes + " bytes";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            reason = "malformed HTTP request";
        }
        ThrottledLog.info(LOG, "refused requests")
                .log("Refusing a request from {}: {}", ctx.channel().remoteAddress(), reason);
        byte[] body = ("{\"code\":3,\"message\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** A request cut short by the connection's end (the client's, or a deadline's) is no failure. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            LOG.debug("Connection from {} closed mid-request", ctx.channel().remoteAddress());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
