package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.ui.chat.Links.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinksTest {

    @Test
    void cutsTextIntoPlainAndLinkSegments() {
        assertThat(Links.split("see https://example.com/a?b=c#d and http://x.org too"))
                .containsExactly(
                        new Segment("see ", false),
                        new Segment("https://example.com/a?b=c#d", true),
                        new Segment(" and ", false),
                        new Segment("http://x.org", true),
                        new Segment(" too", false));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Go to https://example.com.|https://example.com",
                "https://example.com/path, then|https://example.com/path",
                "(see https://example.com/x)|https://example.com/x",
                "https://en.wikipedia.org/wiki/Java_(programming_language)|https://en.wikipedia.org/wiki/Java_(programming_language)",
                "(https://en.wikipedia.org/wiki/Java_(programming_language)).|https://en.wikipedia.org/wiki/Java_(programming_language)",
                "really? https://example.com/?!|https://example.com/",
                "'https://example.com/q'|https://example.com/q",
                "[https://example.com/a[1]]|https://example.com/a[1]",
                "HTTPS://EXAMPLE.COM/UP|HTTPS://EXAMPLE.COM/UP",
                "http://[::1]:3000/chat|http://[::1]:3000/chat",
                "<https://example.com/in-angles>|https://example.com/in-angles",
                "https://例え.jp/パス|https://例え.jp/パス",
            })
    void leavesSentencePunctuationAndUnbalancedBracketsOut(String text, String link) {
        assertThat(Links.split(text))
                .filteredOn(Segment::link)
                .extracting(Segment::text)
                .containsExactly(link);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "no links here",
                "ftp://example.com",
                "mailto:ann@example.com",
                "https://",
                "https:// example.com",
                "xhttps://example.com",
                "www.example.com",
                "http://.",
                "https:///path"
            })
    void findsNoLinkWhereThereIsNone(String text) {
        assertThat(Links.split(text)).noneMatch(Segment::link);
    }

    @Test
    void aLinkStopsAtSpacesControlsAndInvisibleCharacters() {
        assertThat(links("https://example.com/a\u202Egpj.exe")).containsExactly("https://example.com/a");
        assertThat(links("https://example.com/a\u200Bb")).containsExactly("https://example.com/a");
        assertThat(links("https://a.com\nhttps://b.com\thttps://c.com\u00a0end"))
                .containsExactly("https://a.com", "https://b.com", "https://c.com");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "see https://example.com.",
                "https://a.com https://b.com",
                "(http://x.y/(z))!",
                "😀 https://example.com/😀 😀"
            })
    void theSegmentsJoinedGiveTheTextBack(String text) {
        assertThat(String.join("", Links.split(text).stream().map(Segment::text).toList()))
                .isEqualTo(text);
        assertThat(Links.split(text)).noneMatch(s -> s.text().isEmpty());
    }

    @Test
    void hasLinkAgreesWithSplitForTheCommonCase() {
        assertThat(Links.hasLink("hello there")).isFalse();
        assertThat(Links.hasLink("look: http://example.com")).isTrue();
        assertThat(Links.hasLink(null)).isFalse();
    }

    private static List<String> links(String text) {
        return Links.split(text).stream()
                .filter(Segment::link)
                .map(Segment::text)
                .toList();
    }
}
