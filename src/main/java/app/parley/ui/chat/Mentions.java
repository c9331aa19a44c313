package app.parley.ui.chat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Names in text: whether a message mentions someone, and Tab completion of a name being typed. */
final class Mentions {
    private Mentions() {}

    /** Whether {@code text} contains {@code name} as a whole word, ignoring case ("@Ann", "ann:" count). */
    public static boolean mentions(String text, String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        String haystack = text.toLowerCase(Locale.ROOT);
        String needle = name.toLowerCase(Locale.ROOT);
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            int end = at + needle.length();
            boolean startsWord = at == 0 || !Character.isLetterOrDigit(haystack.codePointBefore(at));
            boolean endsWord = end == haystack.length() || !Character.isLetterOrDigit(haystack.codePointAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    /** A completed draft and where the caret goes after it. */
    public record Completion(String text, int caret) {}

    /**
     * Completes the word before {@code caret} to the first of {@code names} it starts (ignoring
     * case, an optional leading {@code @} kept). At the start of the draft a colon follows, as
     * IRC clients do ("Ann: "); elsewhere a space.
     */
    public static Optional<Completion> complete(String draft, int caret, List<String> names) {
        int start = caret;
        while (start > 0 && !Character.isWhitespace(draft.charAt(start - 1))) {
            start--;
        }
        String word = draft.substring(start, caret);
        String prefix = word.startsWith("@") ? "@" : "";
        String partial = word.substring(prefix.length()).toLowerCase(Locale.ROOT);
        if (partial.isEmpty()) {
            return Optional.empty();
        }
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).startsWith(partial)) {
                String insert = prefix + name + (start == 0 && prefix.isEmpty() ? ": " : " ");
                String text = draft.substring(0, start) + insert + draft.substring(caret);
                return Optional.of(new Completion(text, start + insert.length()));
            }
        }
        return Optional.empty();
    }
}
