package app.parley.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses client-initiated TLS renegotiation, which lets one connection make the host repeat
 * its most expensive work (key exchange, signing) as often as it likes. It sits before the
 * {@link SslHandler}, follows the TLS record headers going in, and closes the connection when a
 * handshake record arrives after the handshake has completed: in TLS 1.2 that can only be a
 * renegotiating ClientHello, and TLS 1.3 sends nothing after its handshake as a plaintext
 * handshake record (its KeyUpdate and tickets travel as application data).
 *
 * <p>Why not the JDK's {@code jdk.tls.rejectClientInitiatedRenegotiation}: it is a system
 * property read once, when the JDK's TLS server classes initialise, so setting it in code works
 * only if nothing in the process used TLS before, and it changes every TLS server in the JVM.
 * Netty's OpenSSL engine refuses renegotiation itself but is not on the class path. This guard
 * does not depend on either, and holds for any provider.
 *
 * <p>One per connection.
 */
final class RenegotiationGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RenegotiationGuard.class);
    private static final int HEADER_LENGTH = 5;
    private static final byte HANDSHAKE = 22;

    private final SslHandler tls;
    /** The header being read, which may arrive split across reads. */
    private final byte[] header = new byte[HEADER_LENGTH];

    private int headerRead;
    /** Bytes of the current record's body not seen yet. */
    private int bodyLeft;

    private boolean refused;

    RenegotiationGuard(SslHandler tls) {
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int start = in.readerIndex();
        int forwarded = start;
        int end = in.writerIndex();
        int i = start;
        while (i < end) {
            if (bodyLeft > 0) {
                int skipped = Math.min(bodyLeft, end - i);
                i += skipped;
                bodyLeft -= skipped;
                continue;
            }
            header[headerRead++] = in.getByte(i++);
            if (headerRead < HEADER_LENGTH) {
                continue;
            }
            headerRead = 0;
            bodyLeft = (header[3] & 0xff) << 8 | header[4] & 0xff;
            if (header[0] != HANDSHAKE) {
                continue;
            }
            // What came before this record goes through first, so the handshake state read
            // below is the one this record meets (a ClientHello may follow a Finished at once).
            int recordStart = Math.max(forwarded, i - HEADER_LENGTH);
            if (recordStart > forwarded) {
                ctx.fireChannelRead(in.retainedSlice(forwarded, recordStart - forwarded));
                forwarded = recordStart;
            }
            if (tls.handshakeFuture().isSuccess()) {
                refuse(ctx);
            }
            if (refused || !ctx.channel().isActive()) {
                in.release();
                return;
            }
        }
        if (forwarded == start) {
            ctx.fireChannelRead(in);
        } else {
            ctx.fireChannelRead(in.retainedSlice(forwarded, end - forwarded));
            in.release();
        }
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        LOG.debug("Refused TLS renegotiation from {}; closing", ctx.channel().remoteAddress());
        // Through the whole pipeline, so the SslHandler says close_notify before the socket closes.
        ctx.channel().close();
    }
}
