package app.parley.protocol;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The limits every Parley peer applies to input from the network, in one place.
 * Each check returns the reason for refusal, or empty when the input is acceptable.
 */
public final class WireRules {
    /** Longest message, in Unicode code points (about two pages of text). */
    public static final int MAX_MESSAGE_CODE_POINTS = 4000;
    /** Longest room name, in code points. */
    public static final int MAX_ROOM_CODE_POINTS = 64;
    /** Longest custom event name, in code points. */
    public static final int MAX_EVENT_NAME_CODE_POINTS = 64;
    /** Longest nickname, in code points (after NFC normalisation). */
    public static final int MAX_NICKNAME_CODE_POINTS = 32;

    private WireRules() {}

    public static Optional<String> checkMessage(Object message) {
        if (!(message instanceof String text)) {
            return Optional.of("message must be a string");
        }
        if (text.isBlank()) {
            return Optional.of("message is empty");
        }
        if (text.codePointCount(0, text.length()) > MAX_MESSAGE_CODE_POINTS) {
            return Optional.of("message is longer than " + MAX_MESSAGE_CODE_POINTS + " characters");
        }
        return Optional.empty();
    }

    /** A room argument of {@code send-message}: {@code ""} (everyone), a room name or a socket id. */
    public static Optional<String> checkTargetRoom(Object room) {
        if (room == null || "".equals(room)) {
            return Optional.empty();
        }
        return checkRoomName(room);
    }

    /** A room to join or leave. */
    public static Optional<String> checkRoomName(Object room) {
        if (!(room instanceof String name)) {
            return Optional.of("room must be a string");
        }
        if (name.isBlank()) {
            return Optional.of("room name is empty");
        }
        if (isSpace(name.codePointAt(0)) || isSpace(name.codePointBefore(name.length()))) {
            return Optional.of("room name must not start or end with spaces");
        }
        return checkName(name, "room name", MAX_ROOM_CODE_POINTS);
    }

    /**
     * A nickname, judged in its NFC form: not blank, no leading or trailing spaces, at most
     * {@link #MAX_NICKNAME_CODE_POINTS} code points, no control, zero-width or bidi characters
     * (a right-to-left override would let "Ann" pose as someone else in every list).
     */
    public static Optional<String> checkNickname(Object name) {
        if (!(name instanceof String raw)) {
            return Optional.of("name must be a string");
        }
        if (raw.codePointCount(0, raw.length()) > MAX_NICKNAME_CODE_POINTS * 4) {
            return Optional.of("name is longer than " + MAX_NICKNAME_CODE_POINTS + " characters");
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (nfc.isBlank()) {
            return Optional.of("name is empty");
        }
        if (isSpace(nfc.codePointAt(0)) || isSpace(nfc.codePointBefore(nfc.length()))) {
            return Optional.of("name must not start or end with spaces");
        }
        return checkName(nfc, "name", MAX_NICKNAME_CODE_POINTS);
    }

    /** The NFC form a valid nickname is stored and shown in. */
    public static String normalizeNickname(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /**
     * What two nicknames are compared by: NFC, then case-folded ("Ann", "ANN" and "ann" are one
     * name; so are "Straße" and "STRASSE").
     */
    public static String nicknameKey(String name) {
        return normalizeNickname(name).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    public static Optional<String> checkEventName(Object event) {
        if (!(event instanceof String name) || name.isBlank()) {
            return Optional.of("event name must be a non-empty string");
        }
        if (ChatEvents.RESERVED.contains(name)) {
            return Optional.of("\"" + name + "\" is reserved");
        }
        return checkName(name, "event name", MAX_EVENT_NAME_CODE_POINTS);
    }

    private static Optional<String> checkName(String name, String what, int maxCodePoints) {
        if (name.codePointCount(0, name.length()) > maxCodePoints) {
            return Optional.of(what + " is longer than " + maxCodePoints + " characters");
        }
        boolean invisible = name.codePoints().anyMatch(WireRules::isInvisibleOrControl);
        if (invisible) {
            return Optional.of(what + " contains control, zero-width, bidi, line-break or unassigned characters");
        }
        return Optional.empty();
    }

    /**
     * Characters a name must not contain: controls; format characters (zero-width joiners, bidi
     * overrides, BOM); line and paragraph separators; lone surrogates; private-use and
     * unassigned code points (by this JVM's Unicode tables).
     */
    public static boolean isInvisibleOrControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
    }

    /** Any kind of space, no-break spaces included ({@code String.strip} misses those). */
    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
