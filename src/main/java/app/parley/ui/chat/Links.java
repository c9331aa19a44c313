package app.parley.ui.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the web links in a message so they can be shown as clickable links.
 *
 * <pre>{@code
 * Links.split("see https://example.com/a_(b).")
 *   → [Segment("see ", false), Segment("https://example.com/a_(b)", true), Segment(".", false)]
 * }</pre>
 *
 * Only {@code http} and {@code https} links count. Punctuation that ends a sentence is left out
 * of the link, and so is a closing bracket with no opening one inside the link.
 */
final class Links {
    /** A scheme at the start of the text or after a character that cannot be part of a word. */
    private static final Pattern SCHEME = Pattern.compile("(?<![\\p{L}\\p{N}_])https?://", Pattern.CASE_INSENSITIVE);

    private static final String TRAILING_PUNCTUATION = ".,;:!?'\"*";

    /** Part of a message: plain words, or one link. */
    record Segment(String text, boolean link) {}

    private Links() {}

    /** {@code text} cut into plain and link segments, in order; joined they give {@code text} back. */
    static List<Segment> split(String text) {
        List<Segment> segments = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return segments;
        }
        Matcher scheme = SCHEME.matcher(text);
        int plainFrom = 0;
        int searchFrom = 0;
        while (searchFrom < text.length() && scheme.find(searchFrom)) {
            int start = scheme.start();
            int afterScheme = scheme.end();
            int end = trimEnd(text, afterScheme, scanEnd(text, afterScheme));
            if (end > afterScheme && startsAHost(text.codePointAt(afterScheme))) {
                if (start > plainFrom) {
                    segments.add(new Segment(text.substring(plainFrom, start), false));
                }
                segments.add(new Segment(text.substring(start, end), true));
                plainFrom = end;
                searchFrom = end;
            } else {
                searchFrom = afterScheme;
            }
        }
        if (plainFrom < text.length()) {
            segments.add(new Segment(text.substring(plainFrom), false));
        }
        return segments;
    }

    /** Whether {@code text} has at least one link; cheaper than {@link #split} for the common case. */
    static boolean hasLink(String text) {
        return text != null && SCHEME.matcher(text).find();
    }

    private static int scanEnd(String text, int from) {
        int end = from;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            if (!isUrlCharacter(codePoint)) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return end;
    }

    /** Drops sentence punctuation and unbalanced closing brackets from the end, repeatedly. */
    private static int trimEnd(String text, int from, int end) {
        while (end > from) {
            char last = text.charAt(end - 1);
            if (TRAILING_PUNCTUATION.indexOf(last) >= 0
                    || last == ')' && unbalanced(text, from, end, '(', ')')
                    || last == ']' && unbalanced(text, from, end, '[', ']')
                    || last == '}' && unbalanced(text, from, end, '{', '}')) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static boolean unbalanced(String text, int from, int end, char open, char close) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
        }
        return depth < 0;
    }

    private static boolean startsAHost(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || codePoint == '[';
    }

    /**
     * Anything but spaces, controls, invisible format characters (bidi overrides and zero-width
     * characters could disguise where a link goes) and the characters that delimit links in text.
     */
    private static boolean isUrlCharacter(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return false;
        }
        int type = Character.getType(codePoint);
        if (type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return false;
        }
        return codePoint != '<' && codePoint != '>' && codePoint != '"' && codePoint != '`';
    }
}
