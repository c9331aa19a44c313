package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A host given no history file keeps its history in a temporary one, and leaves nothing of it behind. */
class TemporaryHistoryTest {
    @Test
    void closingDeletesTheFileAndItsLock() throws IOException {
        Set<Path> before = new HashSet<>(ours());
        History history = History.open((Path) null, () -> null);
        List<Path> made = ours().stream().filter(p -> !before.contains(p)).toList();
        assertThat(made).as("the history file and its lock").isNotEmpty();

        history.close();

        assertThat(made).noneMatch(Files::exists);
    }

    private static List<Path> ours() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("parley-history-"))
                    .toList();
        }
    }
}
