package app.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ThrottledLog}: a bounded number of lines, a count of the rest, and peer data shown safely. */
class ThrottledLogTest {
    private record Line(String text, Throwable trace) {}

    private final List<Line> lines = new ArrayList<>();
    private final ThrottledLog log = new ThrottledLog("test lines", (text, trace) -> lines.add(new Line(text, trace)));

    @Test
    void aFloodWritesABurstThenOneSummaryOfTheRest() {
        for (int i = 0; i < 1_000; i++) {
            log.log("line {}", i);
        }
        // a few milliseconds may refill one more token
        assertThat(lines).hasSizeBetween(ThrottledLog.LINES_PER_SECOND, ThrottledLog.LINES_PER_SECOND + 1);
        int written = lines.size();
        assertThat(lines.get(0).text()).isEqualTo("line 0");

        log.summarize();
        assertThat(lines).hasSize(written + 1);
        assertThat(lines.get(written).text())
                .isEqualTo(String.format("… and %,d more like this (test lines) in the last 10 s", 1_000 - written));
        log.summarize();
        assertThat(lines).as("nothing held back since").hasSize(written + 1);
    }

    @Test
    void onlyFailuresCarryAStackTrace() {
        IllegalStateException error = new IllegalStateException("bug");
        log.log("refused: {}", error);
        log.failure(error, "failed for {}", "abc");
        assertThat(lines)
                .containsExactly(
                        new Line("refused: java.lang.IllegalStateException: bug", null),
                        new Line("failed for abc", error));
    }

    @Test
    void peerTextEscapesWhatCouldForgeALineOrMoveTheCursor() {
        assertThat(ThrottledLog.peerText("a\nb\r\tc\u001b[2J\u202ed\u2028e\u200bf"))
                .isEqualTo("a\\u000ab\\u000d\\u0009c\\u001b[2J\\u202ed\\u2028e\\u200bf");
        assertThat(ThrottledLog.peerText("Ann 🙂 and Bob")).isEqualTo("Ann 🙂 and Bob");
        assertThat(ThrottledLog.peerText(null)).isEqualTo("null");
        assertThat(ThrottledLog.escape("x\ny")).isEqualTo("x\\u000ay");
    }

    @Test
    void peerTextKeepsOnlyAShortPrefixAndSaysHowLongTheWholeWas() {
        String shown = ThrottledLog.peerText("x".repeat(10_000));
        assertThat(shown).isEqualTo("x".repeat(ThrottledLog.PEER_TEXT_LIMIT) + "…(10,000 characters)");
        String emoji = ThrottledLog.peerText("x".repeat(ThrottledLog.PEER_TEXT_LIMIT - 1) + "🙂🙂");
        assertThat(emoji)
                .as("a character is never cut in half")
                .isEqualTo("x".repeat(ThrottledLog.PEER_TEXT_LIMIT - 1) + "…(83 characters)");
        assertThat(ThrottledLog.peerText("\n".repeat(100))).hasSize(78 + "…(100 characters)".length());
    }
}
