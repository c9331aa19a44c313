package app.parley.host;

import app.parley.protocol.WireRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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

    /** Who holds a name key, on how many sockets, the name as they were first granted it, and since when. */
    private record Holder(String user, int sockets, String name, long since) {}

    /** Names held on this host, and on the cluster's other hosts: the same rules, kept apart. */
    private final Table local = new Table();

    private final Table remote = new Table();
    /** The sockets holding each name key here, so that a name lost to another host's earlier claim can be given up. */
    private final Map<String, Set<Guest>> localSockets = new HashMap<>();

    /** Who holds which names, and the look-alike keys of those names. */
    private static final class Table {
        private final Map<String, Holder> holders = new HashMap<>();
        /** Each look-alike key of a held name → the name keys that have it. */
        private final Map<String, Set<String>> heldLookAlikes = new HashMap<>();

        /** @return since when the name's holder has held it */
        long take(String user, String name, long since) {
            String key = WireRules.nicknameKey(name);
            Holder old = holders.get(key);
            if (old == null) {
                holders.put(key, new Holder(user, 1, name, since));
                for (String lookAlike : LookAlikes.keys(name)) {
                    heldLookAlikes
                            .computeIfAbsent(lookAlike, k -> new HashSet<>())
                            .add(key);
                }
                return since;
            }
            holders.put(key, new Holder(old.user(), old.sockets() + 1, old.name(), old.since()));
            return old.since();
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
                holders.put(key, new Holder(holder.user(), holder.sockets() - 1, holder.name(), holder.since()));
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
        if (isFreeFor(name, user)) {
            Optional<String> resembled = resembledBy(name, user);
            if (resembled.isPresent()) {
                return Grant.refused(LookAlikes.refusal(name, resembled.get()));
            }
            take(socket, user, name);
            return new Grant(name, null);
        }
        Optional<String> free = firstFreeVariant(name, user);
        if (free.isEmpty()) {
            return Grant.refused("\"" + name + "\" and its variants are all taken");
        }
        take(socket, user, free.get());
        return new Grant(free.get(), null);
    }

    /** The first variant of {@code name} ("Ann 2") free for {@code user} and like no name held. */
    private Optional<String> firstFreeVariant(String name, String user) {
        for (int n = 2; n <= MAX_VARIANT; n++) {
            String candidate = variant(name, n);
            if (isFreeFor(candidate, user) && resembledBy(candidate, user).isEmpty()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
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
            String key = WireRules.nicknameKey(name);
            Set<Guest> holding = localSockets.get(key);
            if (holding != null && holding.remove(socket) && holding.isEmpty()) {
                localSockets.remove(key);
            }
        }
    }

    /** A socket of this host's that gave up its name to another host's earlier claim, and the name it has now (or null). */
    /**
     * A socket of this host that gave up {@code lost} (and now holds {@code now}, or no name) to
     * another host's earlier claim on it, or on {@code resembled}, a name it only looks like (null
     * when the names are the same).
     */
    record Yielded(Guest socket, String lost, String now, String resembled) {}

    /**
     * A socket on another Parley host of the cluster ({@code host}) holds {@code name} since
     * {@code since}: nobody else here may take it, nor a name that looks like it. When a different
     * user holds it here too, or a look-alike of it (both hosts granted them in the same moment,
     * before either heard of the other), the earlier claim
     * keeps it, the lower host id on a tie: each host judges alike from the same two claims, so
     * exactly one gives way. Here that means each socket of the holder here takes the name's first
     * free variant ("Ann 2"), returned for the caller to tell. A claim without {@code since}
     * (0: a host of an older Parley) is kept beside, as before.
     */
    synchronized List<Yielded> holdRemote(String user, String name, long since, String host, String thisHost) {
        remote.take(user, name, since);
        if (since <= 0 || host == null || thisHost == null) {
            return List.of();
        }
        String key = WireRules.nicknameKey(name);
        // The same name held here, and names held here that only look like it.
        Set<String> clashing = new java.util.LinkedHashSet<>();
        clashing.add(key);
        for (String lookAlike : LookAlikes.keys(name)) {
            clashing.addAll(local.heldLookAlikes.getOrDefault(lookAlike, Set.of()));
        }
        List<Yielded> yielded = new ArrayList<>();
        for (String clash : clashing) {
            Holder mine = local.holders.get(clash);
            if (mine == null || mine.user().equals(user)) {
                continue;
            }
            boolean mineFirst = mine.since() != since ? mine.since() < since : thisHost.compareTo(host) < 0;
            if (mineFirst) {
                continue;
            }
            String resembled = clash.equals(key) ? null : name;
            for (Guest socket : new ArrayList<>(localSockets.getOrDefault(clash, Set.of()))) {
                String lost = socket.name();
                release(socket);
                Optional<String> now = firstFreeVariant(lost, mine.user());
                now.ifPresent(variant -> take(socket, mine.user(), variant));
                yielded.add(new Yielded(socket, lost, now.orElse(null), resembled));
            }
        }
        return yielded;
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
        long since = local.take(user, name, System.currentTimeMillis());
        socket.setName(name, since);
        localSockets
                .computeIfAbsent(WireRules.nicknameKey(name), k -> new HashSet<>())
                .add(socket);
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
