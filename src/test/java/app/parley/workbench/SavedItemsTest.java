package app.parley.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved connections and emitters survive a restart, stay bounded, and a broken file costs nothing but itself. */
class SavedItemsTest {
    @TempDir
    Path dir;

    @Test
    void savedItemsComeBackNewestFirstOnePerName() {
        Path file = dir.resolve(SavedItems.FILE_NAME);
        SavedItems saved = SavedItems.load(file, Runnable::run);
        ConnectionSpec local = ConnectionSpec.defaults().withName("local").withAuth("{\"a\": {\"b\": [1]}}");
        saved.saveConnection(local);
        saved.saveConnection(ConnectionSpec.defaults().withName("staging").withTransports(Transports.WEBSOCKET));
        saved.saveConnection(local.withNamespace("/admin"));
        saved.saveEmitter(new SavedEmitter("ping", "ping", "1, {\"x\": 2}", true, 3000));

        SavedItems again = SavedItems.load(file, Runnable::run);
        assertThat(again.connections()).extracting(ConnectionSpec::name).containsExactly("local", "staging");
        assertThat(again.connections().get(0)).isEqualTo(local.withNamespace("/admin"));
        assertThat(again.connections().get(1).transports()).isEqualTo(Transports.WEBSOCKET);
        assertThat(again.emitters()).containsExactly(new SavedEmitter("ping", "ping", "1, {\"x\": 2}", true, 3000));

        again.forgetConnection("local");
        assertThat(SavedItems.load(file, Runnable::run).connections())
                .extracting(ConnectionSpec::name)
                .containsExactly("staging");
    }

    @Test
    void theListsAreBounded() {
        SavedItems saved = SavedItems.load(dir.resolve(SavedItems.FILE_NAME), Runnable::run);
        for (int i = 0; i < SavedItems.MAX_EMITTERS + 20; i++) {
            saved.saveEmitter(new SavedEmitter("e" + i, "e", "", false, 1000));
        }
        assertThat(saved.emitters()).hasSize(SavedItems.MAX_EMITTERS);
        assertThat(saved.emitters().get(0).name()).isEqualTo("e" + (SavedItems.MAX_EMITTERS + 19));
    }

    @Test
    void aMalformedFileIsKeptAsideAndTheListsStartEmpty() throws Exception {
        Path file = dir.resolve(SavedItems.FILE_NAME);
        Files.writeString(file, "{\"connections\": [ {\"name\": ");
        SavedItems saved = SavedItems.load(file, Runnable::run);
        assertThat(saved.connections()).isEmpty();
        assertThat(dir.resolve(SavedItems.FILE_NAME + ".bad")).exists();

        // Odd values inside a well-formed file fall back to the defaults instead.
        Files.writeString(
                file,
                "{\"connections\": [{\"name\": \"x\", \"transports\": \"CARRIER_PIGEON\","
                        + " \"timeoutMs\": -5}, 7], \"emitters\": \"no\"}");
        SavedItems odd = SavedItems.load(file, Runnable::run);
        assertThat(odd.connections()).hasSize(1);
        assertThat(odd.connections().get(0).transports()).isEqualTo(Transports.BOTH);
        assertThat(odd.connections().get(0).timeoutMs()).isPositive();
        assertThat(odd.emitters()).isEmpty();
    }
}
