package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the conversation cell highlights as a mention ({@code :mention}). */
class MentionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ann", "hi Ann", "ANN: look", "thanks, ann!", "@ann ping", "(ann)", "ann."})
    void findsTheNameAsAWholeWordInAnyCase(String text) {
        assertThat(Mentions.mentions(text, "Ann")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"annual report", "joanne", "ann2", "plan b", ""})
    void ignoresTheNameInsideOtherWords(String text) {
        assertThat(Mentions.mentions(text, "Ann")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ÉMILE, hi", "salut émile", "Émile"})
    void matchesCaseAcrossAccentedLetters(String text) {
        assertThat(Mentions.mentions(text, "Émile")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "a+b (c)", "x*"})
    void aNameWithPunctuationIsTakenLiterally(String name) {
        assertThat(Mentions.mentions("hey " + name + " there", name)).isTrue();
        assertThat(Mentions.mentions("axb", "a.b")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void aBlankNameIsNeverMentioned(String name) {
        assertThat(Mentions.mentions("anything at all", name)).isFalse();
        assertThat(Mentions.mentions("anything", null)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aMentionIsTheNameAsAWholeWordInAnyCase() {
        assertThat(Mentions.mentions("hey @ann, look", "Ann")).isTrue();
        assertThat(Mentions.mentions("ask Ann Lee", "Ann Lee")).isTrue();
        assertThat(Mentions.mentions("Annie is here", "Ann")).isFalse();
        assertThat(Mentions.mentions("anything", "")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void tabCompletesTheWordBeforeTheCaret() {
        java.util.List<String> names = java.util.List.of("Bob", "Ann Lee", "anna");
        assertThat(Mentions.complete("an", 2, names)).hasValue(new Mentions.Completion("Ann Lee: ", 9));
        assertThat(Mentions.complete("hi @bo", 6, names)).hasValue(new Mentions.Completion("hi @Bob ", 8));
        assertThat(Mentions.complete("hi bo and more", 5, names))
                .hasValue(new Mentions.Completion("hi Bob  and more", 7));
        assertThat(Mentions.complete("hi zed", 6, names)).isEmpty();
        assertThat(Mentions.complete("hi ", 3, names)).isEmpty();
    }
}
