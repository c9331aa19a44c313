package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code --store} URL, read as libpq reads it, never with a password. */
class PostgresTargetTest {
    @Test
    void readsHostPortDatabaseUserAndSslmode() {
        PostgresTarget target =
                PostgresTarget.parse("postgresql://db.example:6543/chat?user=parley&sslmode=verify-full");

        assertThat(target).isEqualTo(new PostgresTarget("db.example", 6543, "chat", "parley", "verify-full"));
        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/chat");
        assertThat(PostgresTarget.parse(target.toString())).isEqualTo(target);
    }

    @Test
    void takesLibpqsOtherSpellings() {
        assertThat(PostgresTarget.parse("postgres://parley@db/chat"))
                .isEqualTo(new PostgresTarget("db", 5432, "chat", "parley", "prefer"));
        PostgresTarget v6 = PostgresTarget.parse("postgresql://[::1]:5433/my%20db?user=a%2Bb");
        assertThat(v6).isEqualTo(new PostgresTarget("::1", 5433, "my db", "a+b", "prefer"));
        assertThat(v6.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/my%20db");
        assertThat(PostgresTarget.parse(v6.toString()).host()).isEqualTo("::1");
    }

    @Test
    void aPasswordIsRefusedAndNotRepeated() {
        for (String url : new String[] {"postgresql://u:pw-1@db/chat", "postgresql://db/chat?user=u&password=pw-1"}) {
            assertThatThrownBy(() -> PostgresTarget.parse(url))
                    .hasMessageContaining("must not carry a password")
                    .hasMessageNotContaining("pw-1");
        }
    }

    @Test
    void saysWhatIsMissing() {
        assertThatThrownBy(() -> PostgresTarget.parse("postgresql://db/?user=u"))
                .hasMessageContaining("a database");
        assertThatThrownBy(() -> PostgresTarget.parse("postgresql:///chat?user=u"))
                .hasMessageContaining("a host");
        assertThatThrownBy(() -> PostgresTarget.parse("postgresql://db/chat")).hasMessageContaining("a user");
        assertThatThrownBy(() -> PostgresTarget.parse("redis://db/0")).hasMessageContaining("postgresql://");
    }
}
