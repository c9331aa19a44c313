package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections, in all and per remote address, from the moment each is accepted: one
 * that never sends a whole request holds its slot like any other (until {@link ConnectionClock}
 * ends it). A connection over a limit takes no slot: it is answered {@code 503} with the reason on
 * its first request, then closed, or closed after {@link #REFUSED_GRACE_MILLIS} if it sends none;
 * it never reaches the engine.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<String> REFUSED = AttributeKey.valueOf("parleyConnectionRefused");
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("parleyConnectionCounted");
    /**
     * How long a refused connection may take to send the request its reason answers: long enough for
     * a client that connects to send one, short enough that refused connections do not pile up.
     */
    static final long REFUSED_GRACE_MILLIS = 1_000;

    private final EngineLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(EngineLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int all = total.incrementAndGet();
        int fromAddress =
                perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (all > limits.maxConnections()) {
            refuse(ctx, "the host has reached its limit of " + limits.maxConnections() + " connections");
        } else if (fromAddress > limits.maxConnectionsPerAddress()
                && !limits.trustedProxies().contains(address)) {
            refuse(
                    ctx,
                    "too many connections from " + address.getHostAddress() + " (at most "
                            + limits.maxConnectionsPerAddress() + ")");
        }
        ctx.fireChannelActive();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        ThrottledLog.warn(LOG, "refused connections")
                .log("Refusing a connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.channel().attr(REFUSED).set(reason);
        uncount(ctx);
        ctx.executor().schedule(() -> ctx.close(), REFUSED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String refused = ctx.channel().attr(REFUSED).get();
        if (refused == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (msg instanceof HttpRequest) {
            byte[] body = ("{\"code\":3,\"message\":\"" + refused + "\"}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        uncount(ctx);
        ctx.fireChannelInactive();
    }

    private void uncount(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }
}
