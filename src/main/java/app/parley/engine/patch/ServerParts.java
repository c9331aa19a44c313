package app.parley.engine.patch;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.DisconnectableHub;
import com.corundumstudio.socketio.ack.AckManager;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.PacketListener;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;

/**
 * netty-socketio's per-server parts that every {@link EngineClientHead} is built from: made by
 * {@link EngineChannelInitializer} as the server starts, opaque outside this package.
 */
public final class ServerParts {
    final Configuration configuration;
    final NamespacesHub namespaces;
    final AckManager acks;
    final ClientsBox clientsBox;
    final CancelableScheduler scheduler;
    final DisconnectableHub disconnectables;
    /** Hands the packets clients send to the namespaces' listeners and acks, as the library's decoder would. */
    final PacketListener packetListener;

    ServerParts(
            Configuration configuration,
            NamespacesHub namespaces,
            AckManager acks,
            ClientsBox clientsBox,
            CancelableScheduler scheduler,
            DisconnectableHub disconnectables) {
        this.configuration = configuration;
        this.namespaces = namespaces;
        this.acks = acks;
        this.clientsBox = clientsBox;
        this.scheduler = scheduler;
        this.disconnectables = disconnectables;
        this.packetListener = new PacketListener(acks, namespaces, null, scheduler);
    }

    public Configuration configuration() {
        return configuration;
    }
}
