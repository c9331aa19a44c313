package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code --admin-user NAME --admin-password-env VAR}: both or neither, the password only from the
 * environment, and only for a headless host. (PATH stands in for a variable a test cannot set.)
 */
class AdminOptionsTest {
    @Test
    void bothOptionsMakeAnAccountWithThePasswordFromTheEnvironment() {
        LaunchOptions options =
                LaunchOptions.parse("--host", "--headless", "--admin-user", "root", "--admin-password-env", "PATH");
        assertThat(options.admin().user()).isEqualTo("root");
        assertThat(options.admin().password()).isEqualTo(System.getenv("PATH"));
        assertThat(options.admin().toString()).doesNotContain(System.getenv("PATH"));
    }

    @Test
    void offUnlessGiven() {
        assertThat(LaunchOptions.parse("--host", "--headless").admin()).isNull();
    }

    @Test
    void oneWithoutTheOtherIsRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse("--host", "--headless", "--admin-user", "root"))
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> LaunchOptions.parse("--host", "--headless", "--admin-password-env", "PATH"))
                .hasMessageContaining("go together");
    }

    @Test
    void anUnsetVariableOrAWindowIsRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse(
                        "--host",
                        "--headless",
                        "--admin-user",
                        "root",
                        "--admin-password-env",
                        "PARLEY_UNSET_VARIABLE_4711"))
                .hasMessageContaining("PARLEY_UNSET_VARIABLE_4711 is not set");
        assertThatThrownBy(() -> LaunchOptions.parse("--host", "--admin-user", "root", "--admin-password-env", "PATH"))
                .hasMessageContaining("--host --headless");
    }
}
