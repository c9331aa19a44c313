package app.parley.join.patch;

import io.socket.client.Manager;
import io.socket.engineio.client.EngineIOException;
import io.socket.engineio.client.Socket;
import io.socket.engineio.client.Transport;
import io.socket.thread.EventThread;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * engine.io-client-java (2.1) pauses polling once the server has answered its WebSocket probe, and
 * if the probe's connection fails before the upgrade is sent, the pause's callback gives up and
 * leaves the socket upgrading with polling paused: every emit waits in its buffer while the
 * connection looks open, until the ping timeout. So when a probe fails in that state, this ends
 * the engine socket as a failed transport would, and the client reconnects at once and sends again
 * what was not acknowledged; should the library's fields change, nothing is done and the stall stays.
 */
public final class ProbeFailure {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeFailure.class);
    private static volatile boolean warned;

    private final Socket engine;
    private final Field socketState;
    private final Field upgrading;
    private final Field transport;
    private final Field transportState;
    private final Method onError;

    private ProbeFailure(Socket engine) throws ReflectiveOperationException {
        this.engine = engine;
        this.socketState = LibraryFields.field(Socket.class, "readyState");
        this.upgrading = LibraryFields.field(Socket.class, "upgrading");
        this.transport = LibraryFields.field(Socket.class, "transport");
        this.transportState = LibraryFields.field(Transport.class, "readyState");
        this.onError = LibraryFields.method(Socket.class, "onError", Exception.class);
    }

    /**
     * Call from the manager's {@link Manager#EVENT_OPEN} listener: the engine socket has just opened
     * and starts its probe right after (both on the library's event thread).
     */
    public static void install(Manager manager) {
        if (!ClientLibraryPatches.enabled()) {
            return;
        }
        try {
            if (LibraryFields.field(Manager.class, "engine").get(manager) instanceof Socket engine) {
                ProbeFailure patch = new ProbeFailure(engine);
                // Later on the event thread, once the library has finished with its failed probe.
                engine.on(Socket.EVENT_UPGRADE_ERROR, args -> EventThread.exec(() -> patch.endIfStuck(args)));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
        }
    }

    private void endIfStuck(Object[] args) {
        try {
            if (!"OPEN".equals(name(socketState.get(engine)))) {
                return; // closing or closed already: nothing waits
            }
            Object current = transport.get(engine);
            boolean paused = current != null && "PAUSED".equals(name(transportState.get(current)));
            if (upgrading.getBoolean(engine) || paused) {
                Exception why =
                        args.length > 0 && args[0] instanceof Exception e ? e : new EngineIOException("probe error");
                LOG.info("The WebSocket upgrade failed half-way ({}); reconnecting", why.getMessage());
                onError.invoke(engine, why);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
        }
    }

    private static String name(Object state) {
        return state instanceof Enum<?> value ? value.name() : null;
    }

    private static void warnOnce(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("engine.io-client may stall after a failed WebSocket probe: {}", e.toString());
        }
    }
}
