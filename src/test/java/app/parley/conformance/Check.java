package app.parley.conformance;

import java.net.URI;

/**
 * One black-box check of a conformance suite: {@code suite} is "engine.io" or "socket.io",
 * {@code name} the official test's describe path and title. {@link Body#run} throws
 * {@link AssertionError} (or any exception) when the server under test does not conform.
 */
public record Check(String suite, String name, Body body) {
    /** A check's code, given the server's base URI ({@code http://127.0.0.1:PORT}). */
    @FunctionalInterface
    public interface Body {
        void run(URI base) throws Exception;
    }

    /** Suite and name, as printed by the runner. */
    public String fullName() {
        return suite + " " + name;
    }

    @Override
    public String toString() {
        return fullName();
    }
}
