package app.parley.discovery;

import java.nio.charset.StandardCharsets;

/**
 * Text from an advertisement made fit to show: control and format characters (bidi overrides,
 * zero-width joiners, BOMs) become a visible replacement or go, runs of spaces become one, and
 * the length is capped, so a name can neither reorder its neighbours on screen nor hide in them.
 */
final class SafeText {
    private SafeText() {}

    /** The replacement shown where a control character stood. */
    static final char REPLACEMENT = '\uFFFD';

    /** {@code raw} cleaned and cut to at most {@code maxCodePoints}; never null. */
    static String clean(String raw, int maxCodePoints) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), maxCodePoints * 2));
        int kept = 0;
        boolean lastWasSpace = true; // drops leading spaces
        for (int i = 0; i < raw.length() && kept < maxCodePoints; ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.FORMAT
                    || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED) {
                continue;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (!lastWasSpace) {
                    out.append(' ');
                    kept++;
                    lastWasSpace = true;
                }
                continue;
            }
            if (type == Character.CONTROL) {
                out.append(REPLACEMENT);
            } else {
                out.appendCodePoint(cp);
            }
            kept++;
            lastWasSpace = false;
        }
        return out.toString().strip();
    }

    /** {@code text} cut to at most {@code maxBytes} of UTF-8, never inside a character. */
    static String cutToBytes(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return out.toString().strip();
    }

    /** A stable, printable form of any string: non-ASCII-printables as {@code \\uXXXX}. */
    static String escaped(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
