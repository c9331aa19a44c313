package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.ui.lines.ConversationLine;
import app.parley.ui.lines.ConversationLine.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineGroupingTest {
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private static ConversationLine line(String sender, Kind kind, long secondsAfter) {
        return new ConversationLine(T.plusSeconds(secondsAfter), sender, "everyone", "words", kind, "");
    }

    @Test
    void aQuickSecondMessageFromTheSamePersonContinuesTheFirst() {
        assertThat(LineGrouping.continues(line("ann", Kind.OTHER, 0), line("ann", Kind.OTHER, 30)))
                .isTrue();
        assertThat(LineGrouping.continues(line("You", Kind.OWN, 0), line("You", Kind.OWN, 300)))
                .isTrue();
    }

    @Test
    void moreThanFiveMinutesApartStartsAFreshGroup() {
        assertThat(LineGrouping.continues(line("ann", Kind.OTHER, 0), line("ann", Kind.OTHER, 301)))
                .isFalse();
    }

    @Test
    void anotherSenderKindOrPlaceStartsAFreshGroup() {
        assertThat(LineGrouping.continues(line("ann", Kind.OTHER, 0), line("bob", Kind.OTHER, 1)))
                .isFalse();
        assertThat(LineGrouping.continues(line("ann", Kind.OWN, 0), line("ann", Kind.OTHER, 1)))
                .isFalse();
        ConversationLine toRoom = new ConversationLine(T.plusSeconds(1), "ann", "#design", "words", Kind.OTHER, "");
        assertThat(LineGrouping.continues(line("ann", Kind.OTHER, 0), toRoom)).isFalse();
    }

    @Test
    void noticesAnnouncementsAndTheFirstLineNeverContinue() {
        ConversationLine notice = ConversationLine.notice("joined");
        assertThat(LineGrouping.continues(notice, ConversationLine.notice("left")))
                .isFalse();
        assertThat(LineGrouping.continues(line("Host", Kind.ANNOUNCEMENT, 0), line("Host", Kind.ANNOUNCEMENT, 1)))
                .isFalse();
        assertThat(LineGrouping.continues(null, line("ann", Kind.OTHER, 0))).isFalse();
    }

    @Test
    void aLineOutOfOrderOrAFailedOneKeepsItsHeading() {
        assertThat(LineGrouping.continues(line("ann", Kind.OTHER, 60), line("ann", Kind.OTHER, 0)))
                .isFalse();
        assertThat(LineGrouping.continues(
                        line("You", Kind.OWN, 0), line("You", Kind.OWN, 1).withStatus("failed")))
                .isFalse();
    }
}
