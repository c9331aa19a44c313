package app.parley.host;

import app.parley.protocol.WireRules;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Nicknames on this host: unique among the people connected, compared by
 * {@link WireRules#nicknameKey} (NFC, case-folded). One person (one user key) may hold the same
 * name on several sockets, say a laptop and a desktop; nobody else may. Thread-safe.
 */
final class Names {
    /** Variants tried when a name asked for in the handshake is taken: "Ann 2" … "Ann 99". */
    private static final int MAX_VARIANT = 99;

    private record Holder(String user, int sockets) {
    }

    private final Map<String, Holder> holders = new HashMap<>();
    private final Map<String, String> bySocket = new HashMap<>();

    /** The outcome of asking for a name: the name granted, or why none was. */
    record Grant(String name, String refusal) {
        static Grant refused(String reason) {
            return new Grant(null, reason);
        }
    }

    /**
     * A name asked for at connect time: granted as asked, or as the first free variant
     * ("Ann 2") when someone else holds it; refused only when it is not a valid name.
     */
    synchronized Grant claimAtConnect(String socket, String user, Object asked) {
        Optional<String> invalid = WireRules.checkNickname(asked);
        if (invalid.isPresent()) {
            return Grant.refused(invalid.get());
        }
        String name = WireRules.normalizeNickname((String) asked);
        for (int n = 1; n <= MAX_VARIANT; n++) {
            String candidate = n == 1 ? name : variant(name, n);
            if (isFreeFor(candidate, user)) {
                take(socket, user, candidate);
                return new Grant(candidate, null);
            }
        }
        return Grant.refused("\"" + name + "\" and its variants are all taken on this host");
    }

    /** A rename: granted exactly as asked, or refused with the reason. */
    synchronized Grant rename(String socket, String user, Object asked) {
        Optional<String> invalid = WireRules.checkNickname(asked);
        if (invalid.isPresent()) {
            return Grant.refused(invalid.get());
        }
        String name = WireRules.normalizeNickname((String) asked);
        String current = bySocket.get(socket);
        boolean recasing = current != null && WireRules.nicknameKey(current).equals(WireRules.nicknameKey(name));
        if (!recasing && !isFreeFor(name, user)) {
            return Grant.refused("\"" + name + "\" is taken on this host");
        }
        release(socket);
        take(socket, user, name);
        return new Grant(name, null);
    }

    synchronized String nameOf(String socket) {
        return bySocket.get(socket);
    }

    synchronized void release(String socket) {
        String name = bySocket.remove(socket);
        if (name == null) {
            return;
        }
        String key = WireRules.nicknameKey(name);
        Holder holder = holders.get(key);
        if (holder.sockets() <= 1) {
            holders.remove(key);
        } else {
            holders.put(key, new Holder(holder.user(), holder.sockets() - 1));
        }
    }

    private boolean isFreeFor(String name, String user) {
        Holder holder = holders.get(WireRules.nicknameKey(name));
        return holder == null || holder.user().equals(user);
    }

    private void take(String socket, String user, String name) {
        bySocket.put(socket, name);
        holders.merge(WireRules.nicknameKey(name), new Holder(user, 1),
                (old, added) -> new Holder(old.user(), old.sockets() + 1));
    }

    /** "Ann 2", shortened so the variant stays within the length limit. */
    private static String variant(String name, int n) {
        String suffix = " " + n;
        int room = WireRules.MAX_NICKNAME_CODE_POINTS - suffix.length();
        int length = name.codePointCount(0, name.length());
        String base = length <= room ? name : name.substring(0, name.offsetByCodePoints(0, room)).stripTrailing();
        return base + suffix;
    }
}
