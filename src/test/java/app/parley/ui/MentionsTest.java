package app.parley.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void aMentionIsTheNameAsAWholeWordInAnyCase() {
        assertThat(Mentions.mentions("hey @ann, look", "Ann")).isTrue();
        assertThat(Mentions.mentions("ANN: ready?", "Ann")).isTrue();
        assertThat(Mentions.mentions("ask Ann Lee", "Ann Lee")).isTrue();
        assertThat(Mentions.mentions("Annie is here", "Ann")).isFalse();
        assertThat(Mentions.mentions("banner", "Ann")).isFalse();
        assertThat(Mentions.mentions("anything", "")).isFalse();
    }

    @Test
    void tabCompletesTheWordBeforeTheCaret() {
        List<String> names = List.of("Bob", "Ann Lee", "anna");
        assertThat(Mentions.complete("an", 2, names)).hasValue(new Mentions.Completion("Ann Lee: ", 9));
        assertThat(Mentions.complete("hi @bo", 6, names)).hasValue(new Mentions.Completion("hi @Bob ", 8));
        assertThat(Mentions.complete("hi bo and more", 5, names))
                .hasValue(new Mentions.Completion("hi Bob  and more", 7));
        assertThat(Mentions.complete("hi zed", 6, names)).isEmpty();
        assertThat(Mentions.complete("hi ", 3, names)).isEmpty();
    }
}
