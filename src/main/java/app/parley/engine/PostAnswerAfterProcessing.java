package app.parley.engine;

import com.corundumstudio.socketio.messages.XHRPostMessage;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Keeps a polling client's emits in order.
 *
 * <p>netty-socketio 2.0.14 ({@code PollingTransport.onPost}) writes the {@code ok} answer to a
 * polling POST <em>before</em> it decodes and handles the POST's packets. A Socket.IO client
 * sends its next POST as soon as that answer arrives, on a new connection that may be served by
 * another I/O thread, so two POSTs of one client can be handled at the same time and their
 * events overtake each other (a burst's first message reached other clients after the second).
 * Node's server handles a POST completely before answering it. This handler, placed on the
 * outbound side in front of the library's encoder, postpones that answer to a task on the
 * channel's event loop; it runs after the POST's packets have been handled in the current read.
 */
@ChannelHandler.Sharable
final class PostAnswerAfterProcessing extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof XHRPostMessage && ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> ctx.writeAndFlush(msg, promise));
            return;
        }
        ctx.write(msg, promise);
    }
}
