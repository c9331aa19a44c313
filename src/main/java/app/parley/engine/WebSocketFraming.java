package app.parley.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 framing for the engine's WebSockets, as Node's {@code ws} does it: fragments are joined
 * into one message, capped at {@code maxPayload} as a whole; text must be valid UTF-8; every
 * framing error ends the connection with one close frame (1009 too big, 1007 invalid UTF-8,
 * 1002 any other protocol error), sent by {@link EngineWebSocket}.
 *
 * <p>Netty's own close frame on a protocol violation is turned off: its decoder sits in front of
 * the frame encoder in this pipeline (the handshake puts it where the HTTP decoder was), so the
 * frame it writes never gets encoded and the connection closed without one.
 */
final class WebSocketFraming {
    /** How long a connection may stay open once the host closes it: for its close frame to leave and be read. */
    static final long CLOSE_GRACE_MILLIS = 2_000;

    private WebSocketFraming() {}

    /** Handshakers whose decoder takes frames of up to {@code maxPayload} bytes and reports violations as exceptions. */
    static WebSocketServerHandshakerFactory handshakers(String location, int maxPayload) {
        return new WebSocketServerHandshakerFactory(
                location,
                null,
                WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxPayload)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(false)
                        .build());
    }

    /**
     * Puts the UTF-8 check, the fragment aggregator and {@code webSocket} before {@code before}
     * (the HTTP handler, whose catch-all would otherwise see the framing errors first).
     */
    static void install(ChannelPipeline pipeline, String before, int maxPayload, EngineWebSocket webSocket) {
        pipeline.addBefore(before, "parleyWebSocketUtf8", new Utf8FrameValidator(false));
        pipeline.addBefore(before, "parleyWebSocketAggregator", new WebSocketFrameAggregator(maxPayload));
        pipeline.addBefore(before, "engineWebSocket", webSocket);
    }

    /**
     * Sends the host's close frame, then ends its side of the TCP connection (FIN, as Node's
     * {@code ws} does) and goes on reading, dropping everything, until the peer closes or
     * {@link #CLOSE_GRACE_MILLIS} have passed since the close began. Closing at once while a peer
     * is still sending would answer with a reset, and the peer might never read the close frame;
     * the deadline runs from the start because a peer that reads nothing never lets the frame leave.
     */
    static void closeAfter(Channel channel, CloseWebSocketFrame frame) {
        ScheduledFuture<?> deadline;
        try {
            deadline = channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            frame.release();
            channel.close(); // the server is stopping: its loops close every connection anyway
            return;
        }
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
        channel.writeAndFlush(frame).addListener((ChannelFutureListener) sent -> {
            if (!sent.isSuccess()) {
                channel.close();
            } else if (channel instanceof DuplexChannel duplex
                    && channel.pipeline().get(SslHandler.class) == null) {
                // under TLS the close goes through the SslHandler (close_notify), so only at the end
                duplex.shutdownOutput();
            }
        });
    }
}
