package app.parley.ui.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conversation view's window onto the end of a conversation: always the source's last lines,
 * in order, and a listener that replays its changes onto a copy ends up with the same list (so a
 * {@code ListView} over it is never out of step).
 */
class TailWindowTest {
    private final ObservableList<String> source = FXCollections.observableArrayList();
    private TailWindow<String> window;
    /** The window as a listener rebuilds it from the changes alone. */
    private final List<String> replayed = new ArrayList<>();

    private int changes;

    @BeforeEach
    void open() {
        window = new TailWindow<>(source, 5);
        window.addListener((ListChangeListener<String>) change -> {
            changes++;
            while (change.next()) {
                if (change.wasPermutated() || change.wasUpdated()) {
                    throw new AssertionError("no permutations or updates expected: " + change);
                }
                replayed.subList(change.getFrom(), change.getFrom() + change.getRemovedSize())
                        .clear();
                replayed.addAll(change.getFrom(), change.getAddedSubList());
            }
        });
    }

    @Test
    void aFloodShowsTheLastLinesInOrderOneChangePerAppend() {
        source.addAll(lines(0, 3));
        assertThat(window).containsExactly("m0", "m1", "m2");
        source.addAll(lines(3, 7));
        assertThat(window).containsExactly("m2", "m3", "m4", "m5", "m6");
        for (int i = 7; i < 1_000; i++) {
            source.add("m" + i);
        }
        source.addAll(lines(1_000, 1_012)); // more at once than the window holds: it turns over
        assertThat(window).containsExactly("m1007", "m1008", "m1009", "m1010", "m1011");
        assertThat(replayed).isEqualTo(window);
        assertThat(changes).as("one change per source change").isEqualTo(2 + 993 + 1);
        assertThat(source)
                .hasSize(1_012)
                .as("the conversation keeps every line")
                .startsWith("m0");
    }

    @Test
    void showMoreBringsEarlierLinesIntoViewAboveAndAppendsKeepThem() {
        source.addAll(lines(0, 20));
        assertThat(window.hasMore()).isTrue();
        assertThat(window.showMore(3)).isEqualTo(3);
        assertThat(window).containsExactly("m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
        source.add("m20");
        assertThat(window).hasSize(8).endsWith("m20").startsWith("m13");
        assertThat(window.showMore(100)).isEqualTo(13);
        assertThat(window.hasMore()).isFalse();
        assertThat(window).isEqualTo(source);
        window.shrinkToInitial();
        assertThat(window).containsExactly("m16", "m17", "m18", "m19", "m20");
        assertThat(replayed).isEqualTo(window);
    }

    @Test
    void changesInPlaceAboveAndInsideTheWindowBecomeTheSmallestChange() {
        source.addAll(lines(0, 10));
        int before = changes;
        source.addAll(0, List.of("older a", "older b")); // a history page above a full window
        assertThat(changes).as("nothing shown changed").isEqualTo(before);
        source.set(6, "m4 delivered"); // above the window: not shown
        assertThat(changes).isEqualTo(before);
        source.set(10, "m8 delivered"); // a status set in place
        assertThat(window).containsExactly("m5", "m6", "m7", "m8 delivered", "m9");
        source.add(9, "divider"); // a divider goes in: the top line leaves
        assertThat(window).containsExactly("m6", "divider", "m7", "m8 delivered", "m9");
        source.remove("divider");
        assertThat(window).containsExactly("m5", "m6", "m7", "m8 delivered", "m9");
        source.remove(0, source.size());
        assertThat(window).isEmpty();
        assertThat(replayed).isEqualTo(window);
    }

    @Test
    void aShortConversationIsShownWhole() {
        source.addAll(lines(0, 2));
        source.addAll(0, List.of("older"));
        assertThat(window).containsExactly("older", "m0", "m1");
        assertThat(window.hasMore()).isFalse();
        assertThat(window.getSourceIndex(0)).isEqualTo(0);
        assertThat(replayed).isEqualTo(window);
    }

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }
}
