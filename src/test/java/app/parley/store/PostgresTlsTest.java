package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.testing.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code sslmode=require}: the store talks to PostgreSQL over TLS, and a server that insists on it is refused without. */
class PostgresTlsTest {
    private static final String TLS_ONLY = "parley_tls";

    static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
        server.enableTls(TLS_ONLY);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sslmodeRequireStoresOverTls() throws Exception {
        PostgresTarget plain = server.freshDatabase(TLS_ONLY);
        PostgresTarget overTls = PostgresTarget.parse("postgresql://127.0.0.1:" + server.port() + "/" + plain.database()
                + "?user=" + TLS_ONLY + "&sslmode=require");

        try (MessageStore store = PostgresMessageStore.open(overTls)) {
            assertThat(store.append(List.of(MessageStoreContract.message("#a", "over TLS")))
                            .get(0)
                            .seq())
                    .isEqualTo(1);
        }
        PostgresCheck check = PostgresCheck.of(overTls);
        assertThat(check.ok()).as(check.detail()).isTrue();
        assertThat(check.detail()).contains("over TLS");

        assertThatThrownBy(() -> PostgresMessageStore.open(plain)) // sslmode=disable
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("PostgreSQL refused user " + TLS_ONLY)
                .hasMessageContaining("sslmode=require");
    }
}
