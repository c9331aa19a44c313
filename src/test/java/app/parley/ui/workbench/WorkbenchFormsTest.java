package app.parley.ui.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.workbench.ConnectionSpec;
import app.parley.workbench.SavedItems;
import app.parley.workbench.Transports;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection dialog's and the emit form's view models, without a stage. */
class WorkbenchFormsTest {
    @TempDir
    Path dir;

    @Test
    void invalidJsonIsExplainedBesideItsFieldAndBlocksConnecting() {
        ConnectionForm form = new ConnectionForm(ConnectionSpec.defaults());
        assertThat(form.valid.get()).isTrue();

        form.auth.set("{\"user\": {\"id\": 7,}}");
        assertThat(form.authProblem.get()).isEqualTo("Invalid JSON at character 19: expected a quoted key");
        assertThat(form.valid.get()).isFalse();
        assertThatThrownBy(form::toSpec).hasMessageStartingWith("Auth: Invalid JSON");

        form.auth.set("{\"user\": {\"id\": 7, \"roles\": [\"dev\"]}}");
        form.query.set("[1]");
        assertThat(form.queryProblem.get()).startsWith("Expected one JSON object");
        form.query.set("{\"room\": \"lobby\"}");
        form.timeout.set("soon");
        assertThat(form.problems()).contains("whole numbers");
        form.timeout.set("3000");
        form.transports.set(Transports.POLLING);

        ConnectionSpec spec = form.toSpec();
        assertThat(spec.auth()).isEqualTo("{\"user\": {\"id\": 7, \"roles\": [\"dev\"]}}");
        assertThat(spec.timeoutMs()).isEqualTo(3000);
        assertThat(spec.transports()).isEqualTo(Transports.POLLING);
    }

    @Test
    void savedEmittersAreNamedAfterWhatTheySendAndComeBack() {
        Path file = dir.resolve(SavedItems.FILE_NAME);
        WorkbenchViewModel model =
                new WorkbenchViewModel(SavedItems.load(file, Runnable::run), Runnable::run, Runnable::run);
        EmitForm form = new EmitForm();
        form.eventProperty().set("ask");
        form.argsProperty().set("\"first\"");
        model.saveEmitter(form.toSaved(null));
        form.argsProperty().set("\"second\"");
        form.ackProperty().set(false);
        model.saveEmitter(form.toSaved(null));

        WorkbenchViewModel again =
                new WorkbenchViewModel(SavedItems.load(file, Runnable::run), Runnable::run, Runnable::run);
        assertThat(again.savedEmitters())
                .extracting(Object::toString)
                .containsExactly("ask(\"second\")", "ask(\"first\")");
        EmitForm restored = new EmitForm();
        restored.use(again.savedEmitters().get(1));
        assertThat(restored.argsProperty().get()).isEqualTo("\"first\"");
        assertThat(restored.ackProperty().get()).isTrue();
    }

    @Test
    void aTabRefusesToEmitWhileNotConnectedAndSaysWhy() {
        ConnectionTabModel tab = new ConnectionTabModel(ConnectionSpec.defaults(), Runnable::run, Runnable::run);
        tab.form().eventProperty().set("hello");
        assertThat(tab.emit()).isFalse();
        assertThat(tab.messageProperty().get()).isEqualTo("Not connected");
        tab.form().argsProperty().set("{oops}");
        assertThat(tab.form().argsProblemProperty().get()).startsWith("Invalid JSON at character 2");
    }
}
