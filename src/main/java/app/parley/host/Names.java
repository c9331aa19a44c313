package app.parley.host;

import app.parley.protocol.WireRules;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nicknames: unique among the people connected (to this host, and in a cluster to its other
 * Parley hosts, whose names {@link #holdRemote} records), compared by
 * {@link WireRules#nicknameKey} (NFC, case-folded). One person (one user key) may hold the same
 * name on several sockets, say a laptop and a desktop; nobody else may. Nobody else may take a
 * name that only looks like one held either ({@link LookAlikes}: Cyrillic "bоb" beside "bob").
 * The name each socket holds is kept on its {@link Guest}, written only under this lock.
 * Thread-safe.
 */
final class Names {
    /** Variants tried when a name asked for in the handshake is taken: "Ann 2" … "Ann 99". */
    private static final int MAX_VARIANT = 99;

    /** Who holds a name key, on how many sockets, and the name as they were first granted it. */
    private record Holder(String user, int sockets, String name) {}

    /** Names held on this host, and on the cluster's other hosts: the same rules, kept apart. */
    private final Table local = new Table();

    private final Table remote = new Table();

    /** Who holds which names, and the look-alike keys of those names. */
    private static final class Table {
        private final Map<String, Holder> holders = new HashMap<>();
        /** Each look-alike key of a held name → the name keys that have it. */
        private final Map<String, Set<String>> heldLookAlikes = new HashMap<>();

        void take(String user, String name) {
            String key = WireRules.nicknameKey(name);
            Holder old = holders.get(key);
            if (old == null) {
                holders.put(key, new Holder(user, 1, name));
                for (String lookAlike : LookAlikes.keys(name)) {
                    heldLookAlikes
                            .computeIfAbsent(lookAlike, k -> new HashSet<>())
                            .add(key);
                }
            } else {
                holders.put(key, new Holder(old.user(), old.sockets() + 1, old.name()));
            }
        }

        void release(String name) {
            String key = WireRules.nicknameKey(name);
            Holder holder = holders.get(key);
            if (holder == null) {
                return;
            }
            if (holder.sockets() <= 1) {
                holders.remove(key);
                for (String lookAlike : LookAlikes.keys(holder.name())) {
                    Set<String> keys = heldLookAlikes.get(lookAlike);
                    keys.remove(key);
                    if (keys.isEmpty()) {
                        heldLookAlikes.remove(lookAlike);
                    }
                }
            } else {
                holders.put(key, new Holder(holder.user(), holder.sockets() - 1, holder.name()));
            }
        }

        boolean isFreeFor(String name, String user) {
            Holder holder = holders.get(WireRules.nicknameKey(name));
            return holder == null || holder.user().equals(user);
        }

        Optional<String> resembledBy(String name, String user) {
            String key = WireRules.nicknameKey(name);
            for (String lookAlike : LookAlikes.keys(name)) {
                for (String heldKey : heldLookAlikes.getOrDefault(lookAlike, Set.of())) {
                    Holder holder = holders.get(heldKey);
                    if (!heldKey.equals(key) && !holder.user().equals(user)) {
                        return Optional.of(holder.name());
                    }
                }
            }
            return Optional.empty();
        }
    }

    Names() {
        // Loads ICU's confusables data now, with the host, rather than under this lock on an I/O
        // thread during the first handshake that asks for a name.
        LookAlikes.keys("");
    }

    /** The outcome of asking for a name: the name granted, or why none was. */
    record Grant(String name, String refusal) {
        static Grant refused(String reason) {
            return new Grant(null, reason);
        }
    }

    /**
     * A name asked for at connect time: granted as asked, or as the first free variant
     * ("Ann 2") when someone else holds it; refused when it is not a valid name or looks like a
     * different name someone else holds.
     */
    synchronized Grant claimAtConnect(Guest socket, Object asked) {
        String user = socket.user();
        Optional<String> invalid = WireRules.checkNickname(asked);
        if (invalid.isPresent()) {
            return Grant.refused(invalid.get());
        }
        String name = WireRules.normalizeNickname((String) asked);
        for (int n = 1; n <= MAX_VARIANT; n++) {
            String candidate = n == 1 ? name : variant(name, n);
            if (isFreeFor(candidate, user)) {
                Optional<String> resembled = resembledBy(candidate, user);
                if (resembled.isEmpty()) {
                    take(socket, user, candidate);
                    return new Grant(candidate, null);
                }
                if (n == 1) {
                    return Grant.refused(LookAlikes.refusal(name, resembled.get()));
                }
            }
        }
        return Grant.refused("\"" + name + "\" and its variants are all taken");
    }

    /** A rename: granted exactly as asked, or refused with the reason. */
    synchronized Grant rename(Guest socket, Object asked) {
        String user = socket.user();
        Optional<String> invalid = WireRules.checkNickname(asked);
        if (invalid.isPresent()) {
            return Grant.refused(invalid.get());
        }
        String name = WireRules.normalizeNickname((String) asked);
        String current = socket.name();
        boolean recasing = current != null && WireRules.nicknameKey(current).equals(WireRules.nicknameKey(name));
        if (!recasing && !isFreeFor(name, user)) {
            return Grant.refused("\"" + name + "\" is taken");
        }
        Optional<String> resembled = resembledBy(name, user);
        if (resembled.isPresent()) {
            return Grant.refused(LookAlikes.refusal(name, resembled.get()));
        }
        release(socket);
        take(socket, user, name);
        return new Grant(name, null);
    }

    synchronized void release(Guest socket) {
        String name = socket.name();
        socket.setName(null);
        if (name != null) {
            local.release(name);
        }
    }

    /**
     * A socket on another Parley host of the cluster holds {@code name}: nobody else here may take
     * it. Two hosts granting one name at the same moment both keep it (each learns of the other's
     * a moment later); names are for people to tell each other apart, ids stay unique.
     */
    synchronized void holdRemote(String user, String name) {
        remote.take(user, name);
    }

    synchronized void releaseRemote(String name) {
        remote.release(name);
    }

    private boolean isFreeFor(String name, String user) {
        return local.isFreeFor(name, user) && remote.isFreeFor(name, user);
    }

    /**
     * A name someone other than {@code user} holds that {@code name} looks like without being
     * the same name (that one is {@link #isFreeFor}'s to judge).
     */
    private Optional<String> resembledBy(String name, String user) {
        return local.resembledBy(name, user).or(() -> remote.resembledBy(name, user));
    }

    private void take(Guest socket, String user, String name) {
        socket.setName(name);
        local.take(user, name);
    }

    /** "Ann 2", shortened so the variant stays within the length limit. */
    private static String variant(String name, int n) {
        String suffix = " " + n;
        int room = WireRules.MAX_NICKNAME_CODE_POINTS - suffix.length();
        int length = name.codePointCount(0, name.length());
        String base = length <= room
                ? name
                : name.substring(0, name.offsetByCodePoints(0, room)).stripTrailing();
        return base + suffix;
    }
}
