package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code parley-host ARGS} is {@code parley --host --headless ARGS}. */
class HostLauncherTest {
    @Test
    void hostsHeadlessWithTheOptionsGiven() {
        LaunchOptions options = LaunchOptions.parse(HostLauncher.arguments("--port", "4000", "--bind", "127.0.0.1"));

        assertThat(options.mode()).isEqualTo(LaunchOptions.Mode.HOST);
        assertThat(options.headless()).isTrue();
        assertThat(options.port()).isEqualTo(4000);
        assertThat(options.bind()).isEqualTo("127.0.0.1");
    }

    @Test
    void servesTheBrowserClientUnlessToldNotTo() {
        assertThat(LaunchOptions.parse(HostLauncher.arguments()).hostConfig().webClient())
                .isTrue();
        LaunchOptions without = LaunchOptions.parse(HostLauncher.arguments("--no-web", "--port", "0"));
        assertThat(without.webClient()).isFalse();
        assertThat(without.hostConfig().webClient()).isFalse();
        assertThat(LaunchOptions.USAGE).contains("--no-web");
    }

    @Test
    void announcesOnTheNetworkUnderTheMachinesNameUnlessToldNotTo() {
        var announced =
                LaunchOptions.parse(HostLauncher.arguments("--port", "4000")).headlessHostConfig();
        var quiet = LaunchOptions.parse(HostLauncher.arguments("--port", "4000", "--no-advertise"))
                .headlessHostConfig();

        assertThat(announced.advertising().enabled()).isTrue();
        assertThat(announced.advertising().sessionName())
                .isEqualTo(LaunchOptions.machineName())
                .isNotBlank();
        assertThat(quiet.advertising().enabled()).isFalse();
        assertThat(LaunchOptions.USAGE).contains("--no-advertise");
    }

    @Test
    void takesFileLimitsInTheUnitsPeopleWrite() {
        var files = LaunchOptions.parse(
                        HostLauncher.arguments("--port", "0", "--max-file-size", "250MB", "--file-quota", "5 gb"))
                .hostConfig()
                .files();
        assertThat(files.maxFileBytes()).isEqualTo(250_000_000L);
        assertThat(files.quotaBytes()).isEqualTo(5_000_000_000L);
        assertThat(LaunchOptions.parse(HostLauncher.arguments()).hostConfig().files())
                .isEqualTo(app.parley.host.HostConfig.FileLimits.DEFAULT);
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--max-file-size", "0")))
                .hasMessageContaining("--max-file-size needs a size such as 250MB");
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--file-quota", "lots")))
                .hasMessageContaining("(0 for none)");
    }

    @Test
    void takesTheRecoveryWindowAsADuration() {
        assertThat(LaunchOptions.parse(HostLauncher.arguments()).hostConfig().recoveryWindow())
                .isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--recovery-window", "90"))
                        .hostConfig()
                        .recoveryWindow())
                .isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--recovery-window", "5m"))
                        .headlessHostConfig()
                        .recoveryWindow())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--recovery-window", "0"))
                        .hostConfig()
                        .recoveryWindow())
                .isZero();
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--recovery-window", "soon")))
                .hasMessageContaining("--recovery-window takes a duration such as 90s");
        assertThat(LaunchOptions.USAGE).contains("--recovery-window");
    }

    @Test
    void answersHelpAndVersionInsteadOfRefusingThem() {
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--help")).mode()).isEqualTo(LaunchOptions.Mode.HELP);
        assertThat(LaunchOptions.parse(HostLauncher.arguments("--version")).mode())
                .isEqualTo(LaunchOptions.Mode.VERSION);
    }

    @Test
    void refusesToJoinWithAReason() {
        assertThatThrownBy(() -> LaunchOptions.parse(HostLauncher.arguments("--join", "http://127.0.0.1:3000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--headless works with --host only");
    }
}
