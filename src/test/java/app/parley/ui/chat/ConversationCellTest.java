package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.settings.Theme;
import app.parley.ui.lines.ConversationLine;
import app.parley.ui.lines.ConversationLine.Kind;
import app.parley.ui.look.Themes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.ListView;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The conversation cell in a real list, headless: links, grouping and mentions as drawn. */
class ConversationCellTest extends FxRobot {
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private final List<String> opened = new ArrayList<>();
    private ListView<ConversationLine> list;
    private Stage stage;

    @BeforeEach
    void show() throws Exception {
        FxToolkit.registerPrimaryStage();
        stage = WaitForAsyncUtils.asyncFx(() -> {
                    list = new ListView<>();
                    list.setCellFactory(view -> new ConversationCell(opened::add, () -> "Ann"));
                    list.getStyleClass().add("conversation"); // as in ChatView
                    list.getItems()
                            .setAll(
                                    line("bob", Kind.OTHER, 0, "read https://example.com/spec."),
                                    line("bob", Kind.OTHER, 60, "and tell ann"),
                                    line("You", Kind.OWN, 70, "ann here, on it"),
                                    line("bob", Kind.OTHER, 1000, "annual review later"));
                    Stage window = new Stage();
                    Scene scene = new Scene(list, 600, 400);
                    Themes.follow(scene, new SimpleObjectProperty<>(Theme.LIGHT));
                    window.setScene(scene);
                    window.show();
                    return window;
                })
                .get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(stage::close).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLinkIsClickableAndOpensThroughTheOpener() {
        Hyperlink link = lookup(".hyperlink").queryAs(Hyperlink.class);
        assertThat(link.getText()).isEqualTo("https://example.com/spec");
        assertThat(((TextFlow) link.getParent()).getChildren()).hasSize(3); // "read ", link, "."
        clickOn(link);
        assertThat(opened).containsExactly("https://example.com/spec");
    }

    @Test
    void aQuickFollowUpFromTheSameSenderHidesItsHeading() {
        assertThat(states(0)).doesNotContain("continued");
        assertThat(states(1)).contains("continued");
        assertThat(states(2)).doesNotContain("continued"); // someone else
        assertThat(states(3)).doesNotContain("continued"); // bob again, but long after
        Node heading = lineBox(1).lookup(".line-heading");
        assertThat(heading.isVisible()).isFalse();
        assertThat(heading.isManaged()).isFalse();
        assertThat(lineBox(0).lookup(".line-heading").isVisible()).isTrue();
    }

    @Test
    void aMessageFromSomeoneElseNamingYouIsAMention() {
        assertThat(states(1)).contains("mention");
        assertThat(states(0)).doesNotContain("mention");
        assertThat(states(2)).as("your own words are not a mention").doesNotContain("mention");
        assertThat(states(3)).as("\"annual\" is not \"Ann\"").doesNotContain("mention");
    }

    private Node lineBox(int index) {
        return lookup(".list-cell").queryAll().stream()
                .map(n -> (ConversationCell) n)
                .filter(c -> c.getIndex() == index && c.getGraphic() != null)
                .findFirst()
                .orElseThrow()
                .getGraphic();
    }

    private List<String> states(int index) {
        return lineBox(index).getPseudoClassStates().stream()
                .map(PseudoClass::getPseudoClassName)
                .toList();
    }

    private static ConversationLine line(String sender, Kind kind, long seconds, String text) {
        return new ConversationLine(T.plusSeconds(seconds), sender, "everyone", text, kind, "");
    }
}
