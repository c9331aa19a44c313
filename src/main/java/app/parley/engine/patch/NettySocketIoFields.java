package app.parley.engine.patch;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import java.lang.reflect.Field;

/**
 * netty-socketio 2.0.14's private fields that the engine reads where the library offers no accessor.
 * Each names the field it expects; on another version the host does not start
 * ({@link NettySocketIoPatches}).
 */
public final class NettySocketIoFields {
    private NettySocketIoFields() {}

    /**
     * Shuts the timer of the default pipeline {@code server}'s constructor made, which nobody would
     * ever release (Netty reports it as a leak) once Parley's pipeline replaces it.
     */
    public static void releaseDefaultPipeline(SocketIOServer server) throws ReflectiveOperationException {
        Object unused = field(SocketIOServer.class, "pipelineFactory").get(server);
        // Never started, so its stop() fails before reaching the timer: release that alone.
        ((CancelableScheduler)
                        field(SocketIOChannelInitializer.class, "scheduler").get(unused))
                .shutdown();
    }

    /** One of netty-socketio's own per-server parts, which the initializer keeps private. */
    static <T> T initializerPart(SocketIOChannelInitializer initializer, String name, Class<T> type) {
        try {
            return type.cast(field(SocketIOChannelInitializer.class, name).get(initializer));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("netty-socketio 2.0.14 keeps no " + name + " where expected", e);
        }
    }

    /** {@code owner}'s declared field {@code name}, made accessible. */
    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
