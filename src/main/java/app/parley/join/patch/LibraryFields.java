package app.parley.join.patch;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * socket.io-client-java's private fields and methods that join/ reaches into where the library offers
 * no option ({@link HeartbeatTimers}, {@link EventThreadHold}, {@link ProbeFailure}). Each caller works as
 * before, unchanged, when one is not found.
 */
final class LibraryFields {
    private LibraryFields() {}

    /** {@code owner}'s declared field {@code name}, made accessible. */
    static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** {@code owner}'s declared method {@code name} taking {@code parameters}, made accessible. */
    static Method method(Class<?> owner, String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method = owner.getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }
}
