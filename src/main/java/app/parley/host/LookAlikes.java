package app.parley.host;

import com.ibm.icu.text.SpoofChecker;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * What makes two nicknames look alike: Unicode TR39 confusable skeletons (ICU's
 * {@link SpoofChecker}), so Cyrillic {@code bоb}, full-width {@code ｂｏｂ} and {@code bob} are
 * one name to the eye. Names are case-insensitive here, so each name has two keys, both taken
 * after NFKC: the skeleton of the case-folded name (TR39's advice for case-insensitive
 * identifiers), and the case-folded skeleton of the name as typed, which also catches what
 * folding first would hide (capital {@code I} as {@code l}, {@code 0} as {@code O}).
 * Two names look alike when they share a key. Thread-safe.
 *
 * <p>The installer's icu4j keeps only the ICU data files this reads ({@code icu_keep} in
 * {@code jpackage/build.sh}, checked by PackagedIcuDataTest): using more of ICU means keeping
 * its data there too.
 */
final class LookAlikes {
    // Built once: it loads ICU's confusables data. A built SpoofChecker is immutable.
    private static final SpoofChecker CHECKER = new SpoofChecker.Builder().build();

    private LookAlikes() {}

    static Set<String> keys(String name) {
        String nfkc = Normalizer.normalize(name, Normalizer.Form.NFKC);
        String foldedFirst = CHECKER.getSkeleton(fold(nfkc));
        String foldedAfter = fold(CHECKER.getSkeleton(nfkc));
        return foldedFirst.equals(foldedAfter) ? Set.of(foldedFirst) : Set.of(foldedFirst, foldedAfter);
    }

    /** What a refusal says: which name, already here, the asked one resembles. */
    static String refusal(String asked, String resembled) {
        return "the name \"" + asked + "\" looks like \"" + resembled + "\", who is already here";
    }

    private static String fold(String text) {
        return text.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
