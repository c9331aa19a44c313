package app.parley.engine;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which browser origins may use the engine, besides the page's own address ({@link OriginGuard}
 * lets a same-origin request through whatever the policy says), and how answers are marked for
 * CORS: a listed origin is named back with credentials allowed; with {@link #any()} answers say
 * {@code Access-Control-Allow-Origin: *} and never allow credentials, so a page on any origin
 * (a sandboxed one, {@code null}, included) can talk to the host but never with a browser's cookies.
 */
public final class OriginPolicy {
    private static final OriginPolicy ANY = new OriginPolicy(true, origin -> true);

    private final boolean any;
    private final Predicate<String> allowed;

    private OriginPolicy(boolean any, Predicate<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /** Every origin, without credentials (what socket.io-client sends by default: {@code withCredentials: false}). */
    public static OriginPolicy any() {
        return ANY;
    }

    /** The origins {@code allowed} accepts; it is given the {@code Origin} header as sent. */
    public static OriginPolicy only(Predicate<String> allowed) {
        return new OriginPolicy(false, Objects.requireNonNull(allowed, "allowed"));
    }

    public boolean anyOrigin() {
        return any;
    }

    /** Whether a request from {@code origin} (never null: a request without one is always let through) may connect. */
    public boolean allows(String origin) {
        return allowed.test(origin);
    }

    @Override
    public String toString() {
        return any ? "OriginPolicy[*]" : "OriginPolicy[listed]";
    }
}
