package app.parley.app;

import static app.parley.app.AppGui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.settings.Settings;
import app.parley.settings.Theme;
import app.parley.testing.RawClient;
import app.parley.ui.look.Themes;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Light and dark theme on the real window, headless (TestFX + Monocle, set up as in
 * {@link ParleyGuiTest}): switching keeps text readable, is remembered, and the chat still works
 * against a real host and a real socket.io-client-java peer.
 */
class ThemeGuiTest extends FxRobot {
    @TempDir
    Path dir;

    private Application app;
    private RawClient peer;

    @BeforeEach
    void launch() throws Exception {
        FxToolkit.registerPrimaryStage();
        ParleyApp.options = LaunchOptions.parse();
        ParleyApp.settingsFile = dir.resolve(Settings.FILE_NAME);
        app = FxToolkit.setupApplication(ParleyApp::new);
    }

    @AfterEach
    void close() throws Exception {
        if (peer != null) {
            peer.close();
        }
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        ParleyApp.settingsFile = null;
    }

    @Test
    void switchingThemeOnTheStartScreenIsAppliedReadableAndRemembered() throws Exception {
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Themes.stylesheet(Theme.LIGHT));
        assertReadable(".card-title", ".card");

        clickOn("#theme-toggle-start");

        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Themes.stylesheet(Theme.DARK));
        waitUntil(() -> luminance(background(".card")) < 0.2);
        assertReadable(".card-title", ".card");
        assertReadable(".start-title", ".start-root");
        waitUntil(() -> settings().theme() == Theme.DARK);

        // Applied at the next start, before anything is clicked.
        FxToolkit.cleanupApplication(app);
        interact(() -> Application.setUserAgentStylesheet(Themes.stylesheet(Theme.LIGHT)));
        app = FxToolkit.setupApplication(ParleyApp::new);
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Themes.stylesheet(Theme.DARK));
        assertThat(lookup("#theme-toggle-start")
                        .queryAs(javafx.scene.control.CheckBox.class)
                        .isSelected())
                .isTrue();
    }

    @Test
    void switchingThemeInTheChatWindowKeepsItUsable() throws Exception {
        clickOn("#name-field").type(KeyCode.END).eraseText(40).write("Ann");
        int port = AppGui.freePort();
        clickOn("#host-port").type(KeyCode.END).eraseText(10).write(String.valueOf(port));
        clickOn("#host-button");
        waitUntil(() -> lookup("#my-id")
                .tryQueryAs(Labeled.class)
                .map(l -> l.getText().startsWith("You connected"))
                .orElse(false));
        assertThat(settings().nickname()).isEqualTo("Ann");
        peer = RawClient.connect(port);
        peer.awaitId();

        Labeled toggle = lookup("#theme-toggle").queryAs(Labeled.class);
        assertThat(toggle.getText()).isEqualTo("Dark theme");
        clickOn("#theme-toggle");
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Themes.stylesheet(Theme.DARK));
        assertThat(toggle.getText()).isEqualTo("Light theme");
        waitUntil(() -> luminance(background(".header")) < 0.2);
        assertReadable("#my-id", ".header");

        // The toggle never takes the focus: typing still goes to the composer.
        write("after the switch").type(KeyCode.ENTER);
        assertThat(peer.nextMessage()[0]).isEqualTo("after the switch");

        clickOn("#theme-toggle");
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Themes.stylesheet(Theme.LIGHT));
        waitUntil(() -> luminance(background(".header")) > 0.8);
        assertReadable("#my-id", ".header");
        waitUntil(() -> settings().theme() == Theme.LIGHT);

        clickOn("#mute-toggle");
        assertThat(lookup("#mute-toggle").queryAs(Labeled.class).getText()).isEqualTo("Unmute");
        waitUntil(() -> settings().muted());
        write("still typing").type(KeyCode.ENTER);
        assertThat(peer.nextMessage()[0]).isEqualTo("still typing");
    }

    private Settings settings() {
        return Settings.load(dir.resolve(Settings.FILE_NAME));
    }

    /** The text of {@code label} stands out from the fill of {@code container} (WCAG ratio ≥ 4.5). */
    private void assertReadable(String label, String container) {
        Labeled text = lookup(label).queryAs(Labeled.class);
        assertThat(text.isVisible()).isTrue();
        assertThat(text.getText()).isNotBlank();
        double ratio = contrast(color(text.getTextFill()), background(container));
        assertThat(ratio).as("contrast of %s on %s", label, container).isGreaterThanOrEqualTo(4.5);
    }

    private Color background(String query) {
        Region region = lookup(query).queryAs(Region.class);
        assertThat(region.getBackground()).as("%s has a background", query).isNotNull();
        var fills = region.getBackground().getFills();
        return color(fills.get(fills.size() - 1).getFill()); // the one painted on top
    }

    private static Color color(Paint paint) {
        assertThat(paint).isInstanceOf(Color.class);
        return (Color) paint;
    }

    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double channel) {
        return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    }
}
