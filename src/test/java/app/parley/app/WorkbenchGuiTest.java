package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.interop.NodeProcess;
import app.parley.settings.Settings;
import app.parley.workbench.LogEntry;
import app.parley.workbench.LogExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Socket.IO workbench in the real app, headless (TestFX + Monocle, as {@link ParleyGuiTest}),
 * against real Node socket.io 4.8 servers: opened from the start screen, a connection with nested
 * auth (invalid JSON first, refused inline), emit with ack and its answer, the export; and, opened
 * with --workbench, the server's ack answered with JSON typed in the window. With
 * {@code -Dparley.workbenchScreenshot=<png>} it saves the window as the first test ends.
 */
class WorkbenchGuiTest extends FxRobot {
    private static final Duration WAIT = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private Application app;
    private NodeProcess server;

    private void launch(String... args) throws Exception {
        FxToolkit.registerPrimaryStage();
        ParleyApp.options = LaunchOptions.parse(args);
        ParleyApp.settingsFile = dir.resolve(Settings.FILE_NAME);
        ParleyApp.exportChooser = window -> Optional.of(dir.resolve("exported/log.json"));
        app = FxToolkit.setupApplication(ParleyApp::new);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        ParleyApp.settingsFile = null;
        ParleyApp.exportChooser = null;
        ParleyApp.options = LaunchOptions.parse();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fromTheStartScreenNestedAuthReachesTheReferenceServerAndAnAckedEmitShowsItsAnswer() throws Exception {
        server = NodeProcess.start("reference-echo-server.mjs", "0");
        int port = server.awaitEvent("listening", WAIT).getInt("port");
        launch();

        clickOn("#workbench-button");
        waitUntil(() -> lookup("#wb-new").tryQuery().isPresent());
        clickOn("#wb-new");
        waitUntil(() -> lookup("#wb-url").tryQuery().isPresent());
        replace("#wb-name", "reference");
        replace("#wb-url", "http://127.0.0.1:" + port);
        replace("#wb-auth", "{\"token\": \"abc\", \"user\": {\"id\": 7, ");
        waitUntil(() -> lookup("#wb-auth-error").queryAs(Label.class).isVisible());
        assertThat(lookup("#wb-auth-error").queryAs(Label.class).getText()).startsWith("Invalid JSON at character");
        assertThat(lookup("#wb-connect-dialog").query().isDisabled()).isTrue();
        clickOn("#wb-auth").write("\"roles\": [\"dev\"]}}");
        waitUntil(() -> !lookup("#wb-auth-error").queryAs(Label.class).isVisible());
        clickOn("#wb-connect-dialog");

        // The reference server emits `auth` with its handshake's auth on connection.
        LogEntry auth = awaitRow(
                e -> e.direction() == LogEntry.Direction.IN && e.event().equals("auth"));
        // (org.json keeps no key order, on the wire or back.)
        assertThat(auth.args())
                .containsExactly(
                        java.util.Map.of("token", "abc", "user", java.util.Map.of("id", 7, "roles", List.of("dev"))));
        waitUntil(() -> lookup("#wb-status").queryAs(Label.class).getText().startsWith("Connected as "));

        clickOn("#wb-event").write("message-with-ack");
        clickOn("#wb-args").write("1, {\"nested\": {\"x\": true}}");
        clickOn("#wb-emit");
        LogEntry ack = awaitRow(e -> e.kind() == LogEntry.Kind.ACK);
        assertThat(ack.summary()).isEqualTo("ack " + ack.rttMillis() + " ms: 1, {\"nested\":{\"x\":true}}");
        interact(() -> log().getSelectionModel().select(ack));
        assertThat(lookup("#wb-detail-heading").queryAs(Label.class).getText())
                .contains("ack ← message-with-ack")
                .contains(ack.rttMillis() + " ms round trip");
        assertThat(lookup("#wb-detail").queryAs(TextArea.class).getText()).contains("\"nested\": {\n    \"x\": true");

        // Search narrows the log; Send again repeats an emit; a pause holds what arrives and counts it.
        clickOn("#wb-search").write("auth");
        waitUntil(() -> log().getItems().size() == 1);
        interact(() -> lookup("#wb-search").queryAs(TextInputControl.class).clear());
        LogEntry sent = awaitRow(
                e -> e.direction() == LogEntry.Direction.OUT && e.event().equals("message-with-ack"));
        interact(() -> log().getSelectionModel().select(sent));
        clickOn("#wb-resend");
        waitUntil(() -> acks() == 2);
        int before = log().getItems().size();
        clickOn("#wb-pause");
        clickOn("#wb-emit");
        waitUntil(() -> lookup("#wb-held").queryAs(Label.class).getText().equals("2 held"));
        assertThat(log().getItems()).hasSize(before);
        clickOn("#wb-pause");
        waitUntil(() -> acks() == 3);

        clickOn("#wb-export");
        Path exported = dir.resolve("exported/log.json");
        waitUntil(() -> lookup("#wb-message").queryAs(Label.class).getText().startsWith("Exported "));
        List<LogEntry> back = LogExport.read(exported);
        assertThat(back).hasSize(log().getItems().size());
        assertThat(back).anySatisfy(e -> assertThat(e.kind()).isEqualTo(LogEntry.Kind.ACK));
        assertThat(new JSONObject(Files.readString(exported)).getString("url")).isEqualTo("http://127.0.0.1:" + port);

        String screenshot = System.getProperty("parley.workbenchScreenshot");
        if (screenshot != null) {
            interact(() -> log().getSelectionModel().select(auth));
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
            FilesGuiTest.save(
                    WaitForAsyncUtils.asyncFx(() -> log().getScene().snapshot(null))
                            .get(5, TimeUnit.SECONDS),
                    Path.of(screenshot));
        }
    }

    @Test
    void withTheLaunchOptionTheServersAckIsAnsweredWithTypedJson() throws Exception {
        server = NodeProcess.start("workbench-server.mjs", "0");
        int port = server.awaitEvent("listening", WAIT).getInt("port");
        launch("--workbench");
        assertThat(((Stage) lookup("#wb-new").query().getScene().getWindow()).getTitle())
                .isEqualTo("Parley — Socket.IO workbench");

        clickOn("#wb-new");
        waitUntil(() -> lookup("#wb-url").tryQuery().isPresent());
        replace("#wb-url", "http://127.0.0.1:" + port);
        clickOn("#wb-connect-dialog");
        waitUntil(() -> lookup("#wb-status").queryAs(Label.class).getText().startsWith("Connected as "));

        clickOn("#wb-event").write("ask");
        clickOn("#wb-args").write("\"your name?\"");
        clickOn("#wb-ack");
        clickOn("#wb-emit");
        LogEntry question = awaitRow(e -> e.event().equals("question") && e.expectsReply());
        interact(() -> log().getSelectionModel().select(question));
        clickOn("#wb-reply").write("{\"name\": \"wb\"}");
        clickOn("#wb-answer");

        JSONObject answer = server.awaitEvent("answer", WAIT);
        assertThat(answer.getJSONArray("answer").getJSONObject(0).getString("name"))
                .isEqualTo("wb");
        awaitRow(e -> e.kind() == LogEntry.Kind.ACK_REPLY);

        // A second connection, to another namespace, beside the first with a log of its own.
        TableView<LogEntry> first = log();
        clickOn("#wb-new");
        waitUntil(() -> lookup("#wb-url").tryQuery().isPresent());
        replace("#wb-url", "http://127.0.0.1:" + port);
        replace("#wb-namespace", "/admin");
        clickOn("#wb-connect-dialog");
        javafx.scene.control.TabPane tabs = lookup("#wb-tabs").queryAs(javafx.scene.control.TabPane.class);
        waitUntil(() -> tabs.getTabs().size() == 2);
        Node second = tabs.getTabs().get(1).getContent();
        @SuppressWarnings("unchecked")
        TableView<LogEntry> secondLog = (TableView<LogEntry>) second.lookup("#wb-log");
        waitUntil(() -> secondLog.getItems().stream()
                .anyMatch(e -> e.event().equals("auth") && e.namespace().equals("/admin")));
        assertThat(server.awaitEvent("connected", WAIT).getString("nsp")).isEqualTo("/");
        assertThat(server.awaitEvent("connected", WAIT).getString("nsp")).isEqualTo("/admin");
        assertThat(first.getItems()).noneMatch(e -> e.namespace().equals("/admin"));
    }

    @SuppressWarnings("unchecked")
    private TableView<LogEntry> log() {
        return lookup("#wb-log").queryAs(TableView.class);
    }

    private long acks() {
        return log().getItems().stream()
                .filter(e -> e.kind() == LogEntry.Kind.ACK)
                .count();
    }

    private LogEntry awaitRow(Predicate<LogEntry> wanted) throws TimeoutException {
        waitUntil(() -> log().getItems().stream().anyMatch(wanted));
        return log().getItems().stream().filter(wanted).findFirst().orElseThrow();
    }

    private void replace(String query, String text) {
        Node field = lookup(query).query();
        interact(() -> ((TextInputControl) field).clear());
        clickOn(field).write(text);
        push(KeyCode.END);
    }

    private static void waitUntil(BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
