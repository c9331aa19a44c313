package app.parley.admin;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The session ids the Admin UI keeps to log in again after a page reload without asking for the
 * password ({@code session} event, then {@code auth.sessionId}), as the official server's
 * in-memory store does, but bounded: the newest {@link #MAX_SESSIONS}, each for {@link #LIFETIME_HOURS} hours.
 */
final class AdminSessions {
    static final int MAX_SESSIONS = 64;
    static final long LIFETIME_HOURS = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Long> expiries = new LinkedHashMap<>();

    /** A new session id (64 random bits, hex, as the official server makes them). */
    synchronized String open() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        expiries.put(id, System.nanoTime() + TimeUnit.HOURS.toNanos(LIFETIME_HOURS));
        while (expiries.size() > MAX_SESSIONS) {
            expiries.remove(expiries.keySet().iterator().next());
        }
        return id;
    }

    synchronized boolean isOpen(Object id) {
        if (!(id instanceof String text)) {
            return false;
        }
        Long expiry = expiries.get(text);
        if (expiry == null) {
            return false;
        }
        if (expiry - System.nanoTime() < 0) {
            expiries.remove(text);
            return false;
        }
        return true;
    }
}
