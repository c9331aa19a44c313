package app.parley.ui;

import java.util.regex.Pattern;

/**
 * Finds a person's name in a message: as a whole word, in any letter case.
 * {@code Mentions.of("ann").in("Thanks, ANN!")} is true; {@code in("Annual report")} is not.
 */
final class Mentions {
    private static final Mentions NOBODY = new Mentions("", null);

    private final String name;
    private final Pattern pattern;

    private Mentions(String name, Pattern pattern) {
        this.name = name;
        this.pattern = pattern;
    }

    /** Mentions of {@code name}; a blank or null name is never mentioned. */
    static Mentions of(String name) {
        if (name == null || name.isBlank()) {
            return NOBODY;
        }
        String word = "[\\p{L}\\p{N}_]";
        return new Mentions(name, Pattern.compile("(?<!" + word + ")" + Pattern.quote(name) + "(?!" + word + ")",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** The name looked for. */
    String name() {
        return name;
    }

    /** Whether {@code text} mentions the name. */
    boolean in(String text) {
        return pattern != null && text != null && pattern.matcher(text).find();
    }
}
