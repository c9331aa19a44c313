package app.parley.ui.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

class LineColumnsTest {
    private static final Instant T = Instant.parse("2026-11-30T07:00:00.123456789Z");

    private static ConversationLine line(Random random, int n) {
        ConversationLine.Kind kind =
                ConversationLine.Kind.values()[random.nextInt(ConversationLine.Kind.values().length)];
        Instant time = random.nextInt(20) == 0 ? null : T.plusNanos(random.nextLong() % 1_000_000_000_000L);
        String text = switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "ünïcödé ✓ 😀 " + n;
            case 3 -> "x".repeat(random.nextInt(3000)) + n;
            default -> "message " + n;
        };
        return new ConversationLine(
                time,
                random.nextBoolean() ? null : "ann",
                "#design",
                text,
                kind,
                random.nextBoolean() ? "" : "delivered",
                // a few lines carry a file, which must stay with its line as lines move
                random.nextInt(10) == 0
                        ? Attachment.sent(java.nio.file.Path.of("f" + n), "f" + n + ".png", n, "image/png", n, n)
                        : null);
    }

    @Test
    void holdsWhatAnArrayListHoldsThroughAddsSetsAndRemovesAnywhere() {
        LineColumns columns = new LineColumns();
        List<ConversationLine> expected = new ArrayList<>();
        // a mirror kept only from the change events, as a view would
        List<ConversationLine> mirror = new ArrayList<>();
        columns.addListener((ListChangeListener<ConversationLine>) change -> {
            while (change.next()) {
                if (change.wasReplaced() || change.wasRemoved()) {
                    mirror.subList(change.getFrom(), change.getFrom() + change.getRemovedSize())
                            .clear();
                }
                if (change.wasAdded()) {
                    mirror.addAll(change.getFrom(), change.getAddedSubList());
                }
            }
        });
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            int op = random.nextInt(10);
            if (op < 5 || expected.isEmpty()) {
                ConversationLine added = line(random, n);
                columns.add(added);
                expected.add(added);
            } else if (op < 7) {
                int at = random.nextInt(expected.size() + 1);
                ConversationLine added = line(random, n);
                columns.add(at, added);
                expected.add(at, added);
            } else if (op < 9) {
                int at = random.nextInt(expected.size());
                ConversationLine updated =
                        random.nextBoolean() ? expected.get(at).withStatus("failed") : line(random, n);
                assertThat(columns.set(at, updated)).isEqualTo(expected.set(at, updated));
            } else {
                int at = random.nextInt(expected.size());
                assertThat(columns.remove(at)).isEqualTo(expected.remove(at));
            }
        }
        assertThat(columns).containsExactlyElementsOf(expected);
        assertThat(mirror).containsExactlyElementsOf(expected);
        assertThat(columns.lastIndexOf(expected.get(expected.size() - 1)))
                .isEqualTo(expected.lastIndexOf(expected.get(expected.size() - 1)));
    }

    @Test
    void removingMostLinesKeepsTheRestIntact() {
        LineColumns columns = new LineColumns();
        List<ConversationLine> expected = new ArrayList<>();
        String words = "y".repeat(10_000);
        for (int n = 0; n < 1_000; n++) {
            ConversationLine added = new ConversationLine(
                    T.plusSeconds(n), "bob", "everyone", words + n, ConversationLine.Kind.OTHER, "");
            columns.add(added);
            expected.add(added);
        }
        // 10 MB of words, then nine in ten removed: what is left is copied into fresh chunks
        columns.removeIf(l -> !l.text().endsWith("0"));
        expected.removeIf(l -> !l.text().endsWith("0"));
        assertThat(columns).containsExactlyElementsOf(expected);
        assertThat(columns).hasSize(100);
    }

    @Test
    void outOfRangeIsRefused() {
        LineColumns columns = new LineColumns();
        assertThatThrownBy(() -> columns.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> columns.add(1, ConversationLine.notice("x")))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
