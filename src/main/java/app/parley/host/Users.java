package app.parley.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Who a socket is beyond this connection. A Parley client sends a secret key made once per
 * installation ({@code auth.user}); the host keeps only a digest of it, so the same person is the
 * same user after a reconnect or a restart, and nobody can claim to be them without the key. A
 * client that sends none (a tutorial page) is a user for as long as its socket lives.
 */
final class Users {
    /** Longer keys are not keys (and not hashed for free). */
    private static final int MAX_KEY_LENGTH = 256;

    private Users() {}

    static String of(Object auth, UUID socket) {
        Object key = auth instanceof Map<?, ?> map ? map.get("user") : null;
        if (key instanceof String text && text.length() >= 16 && text.length() <= MAX_KEY_LENGTH) {
            return "u:" + digest(text);
        }
        return "s:" + socket;
    }

    /** Whether {@code user} outlives its socket (a Parley client's key), so what it did may be remembered. */
    static boolean isLasting(String user) {
        return user.startsWith("u:");
    }

    private static String digest(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
