package app.parley.settings;

import app.parley.protocol.WireRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A session this person joined, as the start screen's "Recent" list shows it.
 *
 * @param address what joining again connects to, e.g. {@code http://192.168.1.20:3000}; the key
 *                that keeps the list free of duplicates
 * @param name    what the session was known as when joined (its advertised name, else the address)
 */
public record RecentSession(String address, String name) {
    /** How many sessions the list keeps. */
    public static final int MAX = 10;
    /** Longest address and name kept; anything longer in the file was not written by Parley. */
    static final int MAX_ADDRESS_CHARS = 512;

    static final int MAX_NAME_CODE_POINTS = 64;

    public RecentSession {
        Objects.requireNonNull(address, "address");
        address = clean(address, MAX_ADDRESS_CHARS);
        name = name == null ? "" : clean(name, MAX_NAME_CODE_POINTS);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("a recent session needs an address");
        }
        if (name.isEmpty()) {
            name = address;
        }
    }

    /** {@code entry} first, any older entry with its address dropped, at most {@link #MAX}. */
    static List<RecentSession> remember(List<RecentSession> list, RecentSession entry) {
        List<RecentSession> updated = new ArrayList<>(MAX);
        updated.add(entry);
        for (RecentSession old : list) {
            if (updated.size() == MAX) {
                break;
            }
            if (!old.address().equals(entry.address())) {
                updated.add(old);
            }
        }
        return List.copyOf(updated);
    }

    static List<RecentSession> forget(List<RecentSession> list, String address) {
        return list.stream().filter(r -> !r.address().equals(address)).toList();
    }

    /**
     * Reads {@code recent.N.address} / {@code recent.N.name} for N from 0. An entry without an
     * address, or a repeated one, is skipped; a hand-edited file cannot make the list longer
     * than {@link #MAX} or put control characters on the screen.
     */
    static List<RecentSession> read(Properties stored) {
        Map<String, RecentSession> byAddress = new LinkedHashMap<>();
        for (int i = 0; i < MAX * 10 && byAddress.size() < MAX; i++) {
            String address = stored.getProperty(key(i, "address"));
            if (address == null || address.isBlank()) {
                continue;
            }
            try {
                RecentSession entry = new RecentSession(address, stored.getProperty(key(i, "name")));
                byAddress.putIfAbsent(entry.address(), entry);
            } catch (IllegalArgumentException nothingVisibleLeft) {
                // An address made only of control characters: not one Parley wrote.
            }
        }
        return List.copyOf(byAddress.values());
    }

    static void write(List<RecentSession> list, Properties values) {
        for (int i = 0; i < list.size(); i++) {
            values.setProperty(key(i, "address"), list.get(i).address());
            values.setProperty(key(i, "name"), list.get(i).name());
        }
    }

    private static String key(int index, String field) {
        return "recent." + index + "." + field;
    }

    /**
     * Without the characters a name may not hold on the wire (control, format, line-break),
     * trimmed and cut to {@code maxCodePoints}: the file is ours, but a person may have edited it.
     */
    private static String clean(String text, int maxCodePoints) {
        StringBuilder kept = new StringBuilder();
        text.codePoints()
                .filter(c -> !WireRules.isInvisibleOrControl(c))
                .limit(maxCodePoints)
                .forEach(kept::appendCodePoint);
        return kept.toString().strip();
    }
}
