package app.parley.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.session.SessionException;
import app.parley.session.SessionFactory;
import app.parley.settings.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start screen's name handling and what hosting announces, with no stage. The factory only
 * records who would have connected and what would have been announced: what is tested is that a
 * refused name never gets that far. Nearby and recent sessions: {@link NearbySessionsTest}.
 */
class StartViewModelTest {
    @TempDir
    Path dir;

    private final List<Identity> attempts = new ArrayList<>();
    private final List<Advertising> announced = new ArrayList<>();
    private Settings settings;
    private StartViewModel model;

    @BeforeEach
    void create() {
        settings = Settings.load(dir.resolve(Settings.FILE_NAME));
        settings.setNickname("remembered");
        SessionFactory recording = new SessionFactory() {
            @Override
            public HostedSession host(
                    int port,
                    Set<String> origins,
                    String password,
                    boolean secure,
                    Identity identity,
                    Advertising advertising) {
                attempts.add(identity);
                announced.add(advertising);
                throw new SessionException("recorded");
            }

            @Override
            public ChatSession join(String typedAddress, String password, Identity identity) {
                attempts.add(identity);
                throw new SessionException("recorded");
            }
        };
        model = new StartViewModel(recording, Runnable::run, Runnable::run, session -> {}, settings);
    }

    @Test
    void theNameStartsAsTheRememberedOne() {
        assertThat(model.nameProperty().get()).isEqualTo("remembered");
    }

    @Test
    void aRefusedNameIsExplainedAndStartsNothing() {
        model.nameProperty().set("   ");
        model.host();
        assertThat(model.errorProperty().get())
                .containsIgnoringCase("name is empty")
                .endsWith(".");

        model.nameProperty().set("x".repeat(33));
        model.join();
        assertThat(model.errorProperty().get()).contains("32");

        model.nameProperty().set("bad\u202Ename");
        model.join();
        assertThat(model.errorProperty().get()).contains("bidi");

        assertThat(attempts).isEmpty();
        assertThat(settings.nickname()).isEqualTo("remembered");
    }

    @Test
    void aGoodNameIsTrimmedNormalisedSentAndRemembered() {
        model.nameProperty().set("  Zoe\u0308  "); // e + combining diaeresis, as some keyboards type it

        model.join();

        assertThat(attempts).extracting(Identity::name).containsExactly("Zoë");
        assertThat(attempts.get(0).userKey()).isEqualTo(settings.userKey());
        assertThat(model.nameProperty().get()).isEqualTo("Zoë");
        assertThat(settings.nickname()).isEqualTo("Zoë");
        assertThat(Settings.load(dir.resolve(Settings.FILE_NAME)).nickname()).isEqualTo("Zoë");
        assertThat(model.errorProperty().get()).isEqualTo("recorded");
    }

    @Test
    void hostingChecksTheNameBeforeThePort() {
        model.nameProperty().set("");
        model.portProperty().set("not a port");
        model.host();
        assertThat(model.errorProperty().get()).containsIgnoringCase("name is empty");

        model.nameProperty().set("ann");
        model.host();
        assertThat(model.errorProperty().get()).contains("port");
        assertThat(attempts).isEmpty();
    }

    @Test
    void hostingIsAnnouncedUnderThePersonsNameByDefault() {
        assertThat(model.advertiseProperty().get()).isTrue();
        assertThat(model.sessionNameProperty().get()).isEqualTo("remembered");

        model.host();

        assertThat(announced).containsExactly(new Advertising(true, "remembered"));
        assertThat(settings.sessionName())
                .as("stored empty: it follows the nickname")
                .isEmpty();
    }

    @Test
    void theSessionNameFollowsTheNicknameUntilEditedAndIsRemembered() {
        model.nameProperty().set("Ann");
        assertThat(model.sessionNameProperty().get()).isEqualTo("Ann");

        model.sessionNameProperty().set("  Design review  ");
        model.nameProperty().set("Annie");
        assertThat(model.sessionNameProperty().get()).isEqualTo("  Design review  ");
        model.host();

        assertThat(announced).containsExactly(new Advertising(true, "Design review"));
        Settings reloaded = Settings.load(dir.resolve(Settings.FILE_NAME));
        assertThat(reloaded.sessionName()).isEqualTo("Design review");
        assertThat(newModel(reloaded).sessionNameProperty().get()).isEqualTo("Design review");
    }

    @Test
    void switchingAnnouncingOffIsRememberedAtOnceAndHostsUnannounced() {
        model.advertiseProperty().set(false);
        assertThat(Settings.load(dir.resolve(Settings.FILE_NAME)).advertise()).isFalse();

        model.sessionNameProperty().set("bad\u202Ename"); // not announced, so not in the way
        model.host();

        assertThat(announced).containsExactly(Advertising.OFF);
        assertThat(newModel(Settings.load(dir.resolve(Settings.FILE_NAME)))
                        .advertiseProperty()
                        .get())
                .isFalse();
    }

    @Test
    void aSessionNameThatCannotBeAnnouncedIsExplainedAndHostsNothing() {
        model.sessionNameProperty().set("bad\u202Ename");
        model.host();
        assertThat(model.errorProperty().get())
                .startsWith("Session name contains")
                .contains("bidi");

        // 22 three-byte characters: within the 32 a name may have, beyond DNS-SD's 63 bytes.
        model.sessionNameProperty().set("\u4F1A".repeat(22));
        model.host();
        assertThat(model.errorProperty().get()).contains("63 bytes");

        model.sessionNameProperty().set("\u4F1A".repeat(21));
        model.host();
        assertThat(announced).containsExactly(new Advertising(true, "\u4F1A".repeat(21)));
    }

    private StartViewModel newModel(Settings from) {
        return new StartViewModel(
                new SessionFactory() {
                    @Override
                    public HostedSession host(int port, Set<String> o, String p, boolean s, Identity i, Advertising a) {
                        throw new SessionException("unused");
                    }

                    @Override
                    public ChatSession join(String typedAddress, String password, Identity identity) {
                        throw new SessionException("unused");
                    }
                },
                Runnable::run,
                Runnable::run,
                session -> {},
                from);
    }
}
