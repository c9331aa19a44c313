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
