package app.parley.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MentionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ann", "hi Ann", "ANN: look", "thanks, ann!", "@ann ping", "(ann)", "ann."})
    void findsTheNameAsAWholeWordInAnyCase(String text) {
        assertThat(Mentions.of("Ann").in(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"annual report", "joanne", "ann_2", "ann2", "plan b", ""})
    void ignoresTheNameInsideOtherWords(String text) {
        assertThat(Mentions.of("Ann").in(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ÉMILE, hi", "salut émile", "Émile"})
    void matchesCaseAcrossAccentedLetters(String text) {
        assertThat(Mentions.of("Émile").in(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "a+b (c)", "x*"})
    void aNameWithRegexCharactersIsTakenLiterally(String name) {
        assertThat(Mentions.of(name).in("hey " + name + " there")).isTrue();
        assertThat(Mentions.of("a.b").in("axb")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void aBlankNameIsNeverMentioned(String name) {
        assertThat(Mentions.of(name).in("anything at all")).isFalse();
        assertThat(Mentions.of(null).in("anything")).isFalse();
    }
}
