package app.parley.ui.look;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.settings.Settings;
import app.parley.settings.Theme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Popup;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** {@link Notifier} on the real FX thread (headless Monocle), counting pop-ups through its hook. */
class NotifierTest {
    @TempDir
    Path dir;

    private final List<Notifier.Popup> shown = new ArrayList<>();
    private final AtomicBoolean focused = new AtomicBoolean();
    private Settings settings;
    private Notifier notifier;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void create() {
        settings = Settings.load(dir.resolve(Settings.FILE_NAME));
        notifier = new Notifier(focused::get, settings, shown::add);
    }

    @Test
    void showsOnlyWhileTheWindowIsInTheBackgroundAndNotMuted() throws Exception {
        focused.set(true);
        onFx(() -> notifier.notify("ann", "while you look"));
        assertThat(shown).isEmpty();

        focused.set(false);
        onFx(() -> notifier.notify("ann", "while you are away"));
        assertThat(shown).containsExactly(new Notifier.Popup("ann", "while you are away"));

        onFx(() -> notifier.mutedProperty().set(true));
        onFx(() -> notifier.notify("ann", "muted"));
        assertThat(shown).hasSize(1);
    }

    @Test
    void theMuteChoiceIsRememberedAcrossStarts() throws Exception {
        onFx(() -> notifier.mutedProperty().set(true));
        assertThat(Settings.load(dir.resolve(Settings.FILE_NAME)).muted()).isTrue();

        Settings again = Settings.load(dir.resolve(Settings.FILE_NAME));
        Notifier restarted = new Notifier(() -> false, again, shown::add);
        assertThat(restarted.mutedProperty().get()).isTrue();
        onFx(() -> restarted.notify("bob", "still muted"));
        assertThat(shown).isEmpty();
    }

    @Test
    void refusesToRunOffTheFxThread() {
        assertThatThrownBy(() -> notifier.notify("ann", "hi")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRealPopUpOpensAWindowOverItsOwner() throws Exception {
        Stage owner = WaitForAsyncUtils.asyncFx(() -> {
                    Stage stage = new Stage();
                    Scene scene = new Scene(new Pane(), 300, 200);
                    Themes.follow(scene, new SimpleObjectProperty<>(Theme.DARK));
                    stage.setScene(scene);
                    stage.show();
                    return stage;
                })
                .get(5, TimeUnit.SECONDS);
        try {
            int before = onFxGet(() -> Window.getWindows().size());
            Notifier real = new Notifier(() -> false, settings, popup -> Notifier.show(owner, popup));
            onFx(() -> real.notify("ann", "a direct message"));
            WaitForAsyncUtils.waitFor(
                    5, TimeUnit.SECONDS, () -> onFxGet(() -> Window.getWindows().size()) > before);
            // Themed by parley.css: ControlsFX's own colours are Modena's, which the themes lack.
            Region pane = onFxGet(() -> Window.getWindows().stream()
                    .filter(w -> w instanceof Popup && w.getScene() != null)
                    .map(w -> (Region) w.getScene().getRoot().lookup(".notification-bar > .pane"))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseThrow());
            assertThat(pane.getBackground()).isNotNull();
            assertThat(pane.getBackground().getFills().get(1).getFill())
                    .isEqualTo(Color.web("#0d1117")); // Primer Dark's -color-bg-overlay
        } finally {
            onFx(owner::close);
        }
    }

    private static void onFx(Runnable action) throws Exception {
        WaitForAsyncUtils.asyncFx(action).get(5, TimeUnit.SECONDS);
    }

    private static <T> T onFxGet(java.util.concurrent.Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(5, TimeUnit.SECONDS);
    }
}
