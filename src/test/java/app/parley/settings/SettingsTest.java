package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("nested").resolve(Settings.FILE_NAME);
    }

    @Test
    void theFirstLoadMakesAUserKeyAndSavesItWithTheDefaults() throws Exception {
        Settings settings = Settings.load(file());

        assertThat(Base64.getUrlDecoder().decode(settings.userKey())).hasSize(32);
        assertThat(settings.userKey()).doesNotContain("=", "+", "/");
        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.muted()).isFalse();
        assertThat(settings.nickname()).isEqualTo(Settings.defaultNickname()).isNotBlank();
        assertThat(stored().getProperty("userKey")).isEqualTo(settings.userKey());
    }

    @Test
    void theUserKeyStaysTheSameAcrossLoadsAndDiffersBetweenInstallations() {
        String first = Settings.load(file()).userKey();
        assertThat(Settings.load(file()).userKey()).isEqualTo(first);
        assertThat(Settings.load(dir.resolve("other.properties")).userKey()).isNotEqualTo(first);
    }

    @Test
    void everyChangeIsSavedAndReadBack() {
        Settings settings = Settings.load(file());
        settings.setNickname("Zoë");
        settings.setTheme(Theme.DARK);
        settings.setMuted(true);

        Settings again = Settings.load(file());
        assertThat(again.nickname()).isEqualTo("Zoë");
        assertThat(again.theme()).isEqualTo(Theme.DARK);
        assertThat(again.muted()).isTrue();
        assertThat(again.userKey()).isEqualTo(settings.userKey());
    }

    @Test
    void writesGoThroughTheGivenExecutorAndLeaveNoTemporaryFiles() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        Settings settings = Settings.load(file(), queued::add);
        assertThat(queued).as("the new user key is written at once, not queued").isEmpty();

        settings.setTheme(Theme.DARK);
        settings.setTheme(Theme.DARK);
        assertThat(queued).as("setting the same value again writes nothing").hasSize(1);
        assertThat(stored().getProperty("theme")).isEqualTo("light");

        settings.setMuted(true);
        queued.get(0).run(); // an earlier write that runs late still writes the latest values
        assertThat(stored().getProperty("theme")).isEqualTo("dark");
        assertThat(stored().getProperty("muted")).isEqualTo("true");
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Settings.FILE_NAME);
        }
    }

    @Test
    void aCorruptFileGivesTheDefaultsAndIsKeptAside() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "nickname=ok\nuserKey=\\u12", StandardCharsets.ISO_8859_1); // malformed escape

        Settings settings = Settings.load(file());

        assertThat(settings.nickname()).isEqualTo(Settings.defaultNickname());
        assertThat(Base64.getUrlDecoder().decode(settings.userKey())).hasSize(32);
        assertThat(file().resolveSibling(Settings.FILE_NAME + ".bad")).exists();
        assertThat(stored().getProperty("userKey")).isEqualTo(settings.userKey());
    }

    @Test
    void anUnreadableFileDoesNotStopTheApp() throws Exception {
        Files.createDirectories(file()); // a directory where the file should be

        Settings settings = Settings.load(file());

        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.userKey()).isNotEmpty();
    }

    @Test
    void oddValuesFallBackOneByOne() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "nickname=Ann\ntheme=purple\nmuted=yes\nuserKey=short\n");

        Settings settings = Settings.load(file());

        assertThat(settings.nickname()).isEqualTo("Ann");
        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.muted()).isFalse();
        assertThat(Base64.getUrlDecoder().decode(settings.userKey()))
                .as("a malformed key is replaced")
                .hasSize(32);
    }

    @Test
    void aSaveThatCannotBeWrittenIsLoggedNotThrown() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file, so no directory can be made here");
        Settings settings = Settings.load(blocked.resolve(Settings.FILE_NAME));
        settings.setMuted(true);
        assertThat(settings.muted()).isTrue();
    }

    private Properties stored() throws Exception {
        Properties values = new Properties();
        try (var in = Files.newInputStream(file())) {
            values.load(in);
        }
        return values;
    }
}
