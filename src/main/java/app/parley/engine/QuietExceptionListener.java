package app.parley.engine;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.ExceptionListener;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a misbehaving peer once, at a level and a rate ({@link ThrottledLog}) that do not flood
 * the console, and keeps the host running. Peers that vanish mid-request (connection reset) are
 * routine, not errors.
 */
final class QuietExceptionListener implements ExceptionListener {
    private static final Logger LOG = LoggerFactory.getLogger(QuietExceptionListener.class);

    @Override
    public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
        ThrottledLog.warn(LOG, "event failures").log("Event from {} failed: {}", id(client), e.toString());
    }

    @Override
    public void onDisconnectException(Exception e, SocketIOClient client) {
        LOG.debug("Disconnect of {} failed: {}", id(client), e.toString());
    }

    @Override
    public void onConnectException(Exception e, SocketIOClient client) {
        ThrottledLog.warn(LOG, "connect failures").log("Connect of {} failed: {}", id(client), e.toString());
    }

    /** Still called by netty-socketio 2.0.14 (deprecated there, not removed), so it is kept quiet too. */
    @Override
    @Deprecated
    public void onPingException(Exception e, SocketIOClient client) {
        LOG.debug("Ping of {} failed: {}", id(client), e.toString());
    }

    @Override
    public void onPongException(Exception e, SocketIOClient client) {
        LOG.debug("Pong of {} failed: {}", id(client), e.toString());
    }

    @Override
    public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        if (e instanceof IOException) {
            LOG.debug("Connection {} dropped: {}", ctx.channel().remoteAddress(), e.toString());
        } else {
            ThrottledLog.warn(LOG, "connection failures")
                    .log("Connection {} failed: {}", ctx.channel().remoteAddress(), e.toString());
        }
        ctx.close();
        return true;
    }

    @Override
    public void onAuthException(Throwable e, SocketIOClient client) {
        ThrottledLog.warn(LOG, "authorization failures")
                .log("Authorization of {} failed: {}", id(client), e.toString());
    }

    private static String id(SocketIOClient client) {
        return client == null ? "?" : client.getSessionId().toString();
    }
}
