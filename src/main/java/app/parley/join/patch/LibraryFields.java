package app.parley.join.patch;

import java.lang.reflect.Field;

/**
 * socket.io-client-java's private fields that join/ reaches into where the library offers no option
 * ({@link HeartbeatTimers}, {@link EventThreadHold}). Each caller works as before, unchanged, when a
 * field is not found.
 */
final class LibraryFields {
    private LibraryFields() {}

    /** {@code owner}'s declared field {@code name}, made accessible. */
    static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
