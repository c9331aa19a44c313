package app.parley.engine.patch;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.ack.AckManager;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;

/**
 * netty-socketio's channel initializer for a pipeline of the engine's own: once the library has
 * made its per-server parts (acks, clients, scheduler, which it keeps private), they are handed to
 * {@link #started} as {@link ServerParts}, for the engine's {@link EngineClientHead}s.
 */
public abstract class EngineChannelInitializer extends SocketIOChannelInitializer {

    @Override
    public final void start(Configuration configuration, NamespacesHub namespacesHub) {
        super.start(configuration, namespacesHub);
        started(
                configuration,
                new ServerParts(
                        configuration,
                        namespacesHub,
                        NettySocketIoFields.initializerPart(this, "ackManager", AckManager.class),
                        NettySocketIoFields.initializerPart(this, "clientsBox", ClientsBox.class),
                        NettySocketIoFields.initializerPart(this, "scheduler", CancelableScheduler.class),
                        this));
    }

    /** The server is starting: the parts its clients are built from are ready. */
    protected abstract void started(Configuration configuration, ServerParts parts);
}
