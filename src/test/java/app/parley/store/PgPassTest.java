package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's rules for the password: PGPASSWORD, else the first matching line of the password file. */
class PgPassTest {
    private static final PostgresTarget TARGET = new PostgresTarget("db.example", 5432, "chat", "parley", null);

    @TempDir
    Path home;

    private Path pgpass(String text, String permissions) throws Exception {
        Path file = home.resolve(".pgpass");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void theEnvironmentComesFirst() throws Exception {
        pgpass("*:*:*:*:from-file\n", "rw-------");

        assertThat(PgPass.password(TARGET, Map.of("PGPASSWORD", "from-env"), home))
                .contains("from-env");
        assertThat(PgPass.password(TARGET, Map.of("PGPASSWORD", ""), home)).contains("from-file");
    }

    @Test
    void theFirstMatchingLineWinsWithWildcardsAndEscapes() throws Exception {
        pgpass(
                String.join(
                        "\n",
                        "# comment:*:*:*:not this",
                        "",
                        "db.example:5433:chat:parley:other port",
                        "db.example:5432:chat2:parley:other database",
                        "other:5432:chat:parley:other host",
                        "db.example:*:chat:parley:p\\:w\\\\d:ignored after a bare colon",
                        "*:*:*:*:fallback"),
                "rw-------");

        assertThat(PgPass.password(TARGET, Map.of(), home)).contains("p:w\\d");
        assertThat(PgPass.password(new PostgresTarget("x", 1, "y", "z", null), Map.of(), home))
                .contains("fallback");
    }

    @Test
    void escapedColonsInAFieldMatchAndAStarIsOnlyAWildcardAlone() {
        assertThat(PgPass.match("fe80\\:\\:1:5432:chat:parley:secret", "fe80::1", "5432", "chat", "parley"))
                .contains("secret");
        assertThat(PgPass.match("db*:5432:chat:parley:secret", "db.example", "5432", "chat", "parley"))
                .isEmpty();
        assertThat(PgPass.match("db.example:5432:chat:parley", "db.example", "5432", "chat", "parley"))
                .as("no colon after the user: no match, as in libpq")
                .isEmpty();
    }

    @Test
    void aFileOthersMayReadIsRefusedWithTheFix() throws Exception {
        Path file = pgpass("*:*:*:*:secret\n", "rw-r--r--");

        assertThatThrownBy(() -> PgPass.password(TARGET, Map.of(), home))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void pgpassfileNamesAnotherFileAndAMissingOneIsNoPassword() throws Exception {
        Path elsewhere = home.resolve("elsewhere");
        Files.writeString(elsewhere, "*:*:*:parley:elsewhere\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));

        assertThat(PgPass.password(TARGET, Map.of("PGPASSFILE", elsewhere.toString()), home))
                .contains("elsewhere");
        assertThat(PgPass.password(TARGET, Map.of(), home)).isEmpty();
    }
}
