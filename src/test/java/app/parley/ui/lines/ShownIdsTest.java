package app.parley.ui.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ShownIdsTest {
    @Test
    void aUuidInItsUsualSpellingIsReadAsItsTwoHalves() {
        UUID uuid = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(ShownIds.uuidOf(uuid.toString()))
                .containsExactly(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    @Test
    void anyOtherSpellingIsText() {
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertThat(ShownIds.uuidOf(uuid.toUpperCase(Locale.ROOT))).isNull();
        assertThat(ShownIds.uuidOf("1-2-3-4-5")).isNull(); // UUID.fromString would take it
        assertThat(ShownIds.uuidOf("0f8fad5b-d9cb-469f-a165-70867728950z")).isNull();
        assertThat(ShownIds.uuidOf("0f8fad5bd-9cb-469f-a165-70867728950e")).isNull();
        assertThat(ShownIds.uuidOf("m-17")).isNull();
    }

    @Test
    void eachIdIsNewOnceWhateverItsKind() {
        ShownIds ids = new ShownIds();
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        String upper = uuid.toUpperCase(Locale.ROOT);
        String nil = new UUID(0, 0).toString();

        assertThat(ids.add(uuid)).isTrue();
        assertThat(ids.add(uuid)).isFalse();
        // the same letters in capitals are another id, as they were when ids were compared as text
        assertThat(ids.add(upper)).isTrue();
        assertThat(ids.add(upper)).isFalse();
        assertThat(ids.add("m-17")).isTrue();
        assertThat(ids.add("m-17")).isFalse();
        // all zeros is what marks a free slot; the nil UUID is still an id like any other
        assertThat(ids.contains(nil)).isFalse();
        assertThat(ids.add(nil)).isTrue();
        assertThat(ids.add(nil)).isFalse();
        assertThat(ids.contains(nil)).isTrue();
        assertThat(ids.contains("0f8fad5b-d9cb-469f-a165-70867728950f")).isFalse();
        assertThat(ids.size()).isEqualTo(4);
    }

    @Test
    void agreesWithAHashSetOverManyIdsAndGrowths() {
        ShownIds ids = new ShownIds();
        Set<String> expected = new HashSet<>();
        Random random = new Random(7);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String id = switch (random.nextInt(4)) {
                case 0 -> seen.isEmpty() ? "first" : seen.get(random.nextInt(seen.size())); // a repeat
                case 1 -> "m-" + random.nextInt(5_000);
                // UUIDs that share a half, which a poor hash would pile into one run of slots
                case 2 -> new UUID(random.nextInt(8), random.nextLong()).toString();
                default -> UUID.randomUUID().toString();
            };
            seen.add(id);
            assertThat(ids.add(id)).as(id).isEqualTo(expected.add(id));
        }
        assertThat(ids.size()).isEqualTo(expected.size());
        for (String id : expected) {
            assertThat(ids.contains(id)).as(id).isTrue();
        }
        assertThat(ids.contains(UUID.randomUUID().toString())).isFalse();
    }
}
