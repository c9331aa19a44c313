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

    @Test
    void hostingIsAnnouncedByDefaultAndTheChoiceAndNameAreRemembered() {
        Settings settings = Settings.load(file());
        assertThat(settings.advertise()).isTrue();
        assertThat(settings.sessionName()).isEmpty();

        settings.setAdvertise(false);
        settings.setSessionName("Design team");

        Settings again = Settings.load(file());
        assertThat(again.advertise()).isFalse();
        assertThat(again.sessionName()).isEqualTo("Design team");
    }

    @Test
    void recentSessionsAreMostRecentFirstWithoutDuplicatesAndSurviveAReload() {
        Settings settings = Settings.load(file());
        settings.rememberJoined(new RecentSession("http://10.0.0.1:3000", "Ann's session"));
        settings.rememberJoined(new RecentSession("http://10.0.0.2:3000", ""));
        settings.rememberJoined(new RecentSession("http://10.0.0.1:3000", "Ann, renamed"));

        List<RecentSession> expected = List.of(
                new RecentSession("http://10.0.0.1:3000", "Ann, renamed"),
                new RecentSession("http://10.0.0.2:3000", "http://10.0.0.2:3000"));
        assertThat(settings.recentSessions()).isEqualTo(expected);
        assertThat(Settings.load(file()).recentSessions()).isEqualTo(expected);
    }

    @Test
    void recentSessionsKeepTheLastTenAndCanBeRemovedOneByOne() {
        Settings settings = Settings.load(file());
        for (int i = 1; i <= 12; i++) {
            settings.rememberJoined(new RecentSession("http://10.0.0." + i + ":3000", "session " + i));
        }
        assertThat(settings.recentSessions())
                .hasSize(RecentSession.MAX)
                .first()
                .isEqualTo(new RecentSession("http://10.0.0.12:3000", "session 12"));
        assertThat(settings.recentSessions())
                .last()
                .extracting(RecentSession::name)
                .isEqualTo("session 3");

        settings.forgetRecent("http://10.0.0.7:3000");

        List<RecentSession> reloaded = Settings.load(file()).recentSessions();
        assertThat(reloaded).hasSize(RecentSession.MAX - 1);
        assertThat(reloaded).extracting(RecentSession::address).doesNotContain("http://10.0.0.7:3000");
    }

    @Test
    void aHandEditedRecentListIsCleanedCappedAndDeduplicated() throws Exception {
        Files.createDirectories(file().getParent());
        StringBuilder text = new StringBuilder()
                .append("recent.0.address=http://a:1\n")
                .append("recent.0.name=A\\u202E\\u0007nn\n") // a bidi override and a bell, escaped
                .append("recent.1.address=\\u0001\n")
                .append("recent.2.address=http://a:1\nrecent.2.name=copy\n")
                .append("recent.3.name=no address\n");
        for (int i = 4; i < 40; i++) {
            text.append("recent.")
                    .append(i)
                    .append(".address=http://b:")
                    .append(i)
                    .append('\n');
        }
        Files.writeString(file(), text, StandardCharsets.ISO_8859_1);

        List<RecentSession> recent = Settings.load(file()).recentSessions();

        assertThat(recent).hasSize(RecentSession.MAX);
        assertThat(recent.get(0)).isEqualTo(new RecentSession("http://a:1", "Ann"));
        assertThat(recent.get(1).address()).isEqualTo("http://b:4");
        assertThat(recent.get(1).name()).as("no name: the address stands in").isEqualTo("http://b:4");
    }

    @Test
    void aCorruptFileLosesTheRecentListButNothingElseBreaks() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "recent.0.address=http://a:1\nrecent.0.name=\\u12", StandardCharsets.ISO_8859_1);

        Settings settings = Settings.load(file());

        assertThat(settings.recentSessions()).isEmpty();
        assertThat(settings.advertise()).isTrue();
        settings.rememberJoined(new RecentSession("http://a:1", "A"));
        assertThat(Settings.load(file()).recentSessions()).hasSize(1);
    }

    private Properties stored() throws Exception {
        Properties values = new Properties();
        try (var in = Files.newInputStream(file())) {
            values.load(in);
        }
        return values;
    }
}
