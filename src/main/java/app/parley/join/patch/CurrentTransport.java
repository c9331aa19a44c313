package app.parley.join.patch;

import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import java.lang.reflect.Field;

/**
 * Which transport a socket's engine is on now. The library says when it makes a transport, not
 * when an upgrade has replaced the first one, so this reads its engine's {@code transport}. Null
 * when that cannot be read (patches off, or not connected).
 */
public final class CurrentTransport {
    private static final Field ENGINE = find(Manager.class, "engine");
    private static final Field TRANSPORT = find(io.socket.engineio.client.Socket.class, "transport");

    private CurrentTransport() {}

    /** {@code "polling"}, {@code "websocket"}, or null when unknown. */
    public static String of(Socket socket) {
        if (ENGINE == null || TRANSPORT == null || !ClientLibraryPatches.enabled()) {
            return null;
        }
        try {
            Object engine = ENGINE.get(socket.io());
            Object transport = engine == null ? null : TRANSPORT.get(engine);
            return transport instanceof Transport t ? t.name : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static Field find(Class<?> owner, String name) {
        try {
            return LibraryFields.field(owner, name);
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
