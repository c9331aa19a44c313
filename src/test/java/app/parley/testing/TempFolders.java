package app.parley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the temporary folders the servers of the tests (PostgreSQL, Redis, nginx) keep their files in. */
public final class TempFolders {
    private TempFolders() {}

    /** Deletes {@code folder} and everything in it; one left behind is no failure of the test. */
    public static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // left for the OS's cleaning of /tmp
        }
    }
}
