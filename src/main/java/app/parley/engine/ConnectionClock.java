package app.parley.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one HTTP connection ({@link EngineLimits#headerTimeoutMillis()},
 * {@link EngineLimits#idleTimeoutMillis()}), so nobody holds a connection, and its slot under the
 * per-address cap, by sending nothing or a request a byte at a time:
 * <ul>
 *   <li>a request's headers must be complete within the header bound of its first byte, the whole
 *       request within the idle bound (or the header bound when longer): else {@code 408} and close;
 *   <li>a connection with no request under way and no answer owed to it is closed after the idle
 *       bound (a fresh one, or one kept alive between requests);
 *   <li>a request the server is still answering (a long poll held until there is data) stops the
 *       clock, and an upgrade to WebSocket stops it for good: the Engine.IO ping watches that.
 * </ul>
 * Two handlers share the state: {@link #bytes()} in front of the HTTP decoder sees a request begin,
 * {@link #messages()} behind it sees its head and end, and each response on its way out. Both run
 * on the channel's event loop only.
 */
final class ConnectionClock {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionClock.class);

    private final long headerMillis;
    private final long requestMillis;
    private final long idleMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** When the request being read began (its first byte), or -1 when none is being read. */
    private long requestStart = -1;

    private boolean headComplete;
    /** Requests whose head arrived and whose final response has not been written yet. */
    private int answersOwed;

    private boolean upgraded;

    ConnectionClock(EngineLimits limits) {
        this.headerMillis = limits.headerTimeoutMillis();
        this.idleMillis = limits.idleTimeoutMillis();
        this.requestMillis = Math.max(headerMillis, idleMillis);
    }

    /** Goes first (after TLS): notices the first byte of each request. */
    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext context) {
                ctx = context;
                if (context.channel().isActive()) {
                    rearm();
                }
            }

            @Override
            public void channelActive(ChannelHandlerContext context) {
                rearm();
                context.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                if (!upgraded && requestStart < 0 && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    requestStart = System.nanoTime();
                    headComplete = false;
                    rearm();
                }
                context.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                cancel();
                context.fireChannelInactive();
            }
        };
    }

    /** Goes right behind the HTTP decoder, with the response encoder in front of it. */
    ChannelHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                if (!upgraded) {
                    if (msg instanceof HttpRequest) {
                        headComplete = true;
                        answersOwed++;
                    }
                    if (msg instanceof LastHttpContent) {
                        requestStart = -1;
                    }
                    rearm();
                }
                context.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
                if (upgraded || !(msg instanceof HttpResponse response)) {
                    context.write(msg, promise);
                    return;
                }
                int status = response.status().code();
                if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    upgraded = true;
                    cancel();
                    context.write(msg, promise);
                } else if (status / 100 == 1 || !(msg instanceof LastHttpContent)) {
                    context.write(msg, promise); // an interim answer, or one still to be finished
                } else {
                    ChannelPromise written = promise.unvoid();
                    context.write(msg, written);
                    written.addListener(f -> answered());
                }
            }
        };
    }

    private void answered() {
        answersOwed = Math.max(0, answersOwed - 1);
        rearm();
    }

    private void rearm() {
        cancel();
        if (ctx == null || upgraded || !ctx.channel().isActive()) {
            return;
        }
        if (requestStart >= 0) {
            long bound = headComplete ? requestMillis : headerMillis;
            long left = bound - (System.nanoTime() - requestStart) / 1_000_000;
            String what = headComplete
                    ? "the request was not complete within " + seconds(bound)
                    : "the request headers were not complete within " + seconds(bound);
            timer = ctx.executor().schedule(() -> timedOut(what), Math.max(0, left), TimeUnit.MILLISECONDS);
        } else if (answersOwed == 0) {
            timer = ctx.executor().schedule(this::idle, idleMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void idle() {
        LOG.debug("Closing {}: idle for {}", ctx.channel().remoteAddress(), seconds(idleMillis));
        ctx.close();
    }

    /** A request too slow to arrive: 408 unless an answer to an earlier one is still owed (a pipeline). */
    private void timedOut(String what) {
        ThrottledLog.info(LOG, "slow requests")
                .log("Closing {}: {}", ctx.channel().remoteAddress(), what);
        if (answersOwed > (headComplete ? 1 : 0)) {
            ctx.close();
            return;
        }
        byte[] body = ("{\"code\":3,\"message\":\"" + what + "\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
