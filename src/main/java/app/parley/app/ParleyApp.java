package app.parley.app;

import app.parley.session.ChatSession;
import app.parley.session.SessionFactory;
import app.parley.settings.Settings;
import app.parley.ui.FxPump;
import app.parley.ui.chat.ChatView;
import app.parley.ui.chat.ChatViewModel;
import app.parley.ui.look.AppearanceModel;
import app.parley.ui.look.Notifier;
import app.parley.ui.look.Themes;
import app.parley.ui.look.WindowPreferences;
import app.parley.ui.start.StartView;
import app.parley.ui.start.StartViewModel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;

/** The JavaFX application: the start screen, then the chat window in the same stage. */
public final class ParleyApp extends Application {
    /** Set by {@link Launcher} before launch; tests set it too. */
    static volatile LaunchOptions options = LaunchOptions.parse();
    /** Where settings live; null for {@link Settings#defaultFile()}. Tests point it at a temporary file. */
    static volatile Path settingsFile;
    /** Wraps the start screen's factory; tests use it to put sessions in the "Sessions nearby" list. */
    static volatile UnaryOperator<SessionFactory> factoryWrapper = UnaryOperator.identity();
    /** Asks where to export a workbench log; tests give a fixed path. Null for a save dialog. */
    static volatile java.util.function.Function<javafx.stage.Window, java.util.Optional<Path>> exportChooser;
    /** System property: quit once the first frame is drawn (jpackage/build.sh's training launch). */
    static final String QUIT_AFTER_FIRST_FRAME = "parley.quitAfterFirstFrame";

    private final FxPump pump = new FxPump();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parley-background");
        t.setDaemon(true);
        return t;
    });
    private Stage stage;
    private Scene scene;
    private ChatViewModel chat;
    /** The start screen while it shows (it browses the network meanwhile), else null. */
    private StartViewModel startScreen;

    private Settings settings;
    private AppearanceModel appearance;
    /** The workbench window while it is open, else null. */
    private WorkbenchWindow workbench;

    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        settings = Settings.load(
                settingsFile != null ? settingsFile : DataDir.get().resolve(Settings.FILE_NAME), background);
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            // The dialog names the error; the log keeps where it came from, for a bug report.
            System.getLogger(ParleyApp.class.getName())
                    .log(System.Logger.Level.ERROR, "Uncaught on " + thread.getName(), error);
            pump.execute(() -> showError(error));
        });
        appearance = new AppearanceModel(settings);
        scene = new Scene(new javafx.scene.layout.Pane(), 1120, 720);
        Themes.follow(scene, appearance.themeProperty());
        new WindowPreferences(appearance, new Notifier(stage, settings)).install(scene);
        stage.setScene(scene);
        // A filter, not an accelerator: text fields would swallow Ctrl+Q before an accelerator sees it.
        KeyCombination quit = new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (quit.match(e)) {
                e.consume();
                Platform.exit();
            }
        });
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        LaunchOptions launch = options;
        if (launch.mode() == LaunchOptions.Mode.WORKBENCH) {
            // The workbench alone: this window is the workbench, and closing it quits.
            workbench = new WorkbenchWindow(stage, scene, background, pump, exportChooser);
            stage.show();
            Platform.runLater(this::setIcon);
            return;
        }
        StartViewModel start = showStart();
        stage.show();
        // After the window is up: decoding the 512 px logo is not worth a later first frame.
        Platform.runLater(this::setIcon);
        if (Boolean.getBoolean("parley.reportStartup") || Boolean.getBoolean(QUIT_AFTER_FIRST_FRAME)) {
            reportFirstFrame();
        }
        if (launch.mode() == LaunchOptions.Mode.HOST) {
            start.portProperty().set(String.valueOf(launch.port()));
            start.originsProperty().set(String.join(", ", launch.origins()));
            start.hostPasswordProperty().set(launch.password());
            start.hostSecureProperty().set(launch.tls() != null);
            start.host();
        } else if (launch.mode() == LaunchOptions.Mode.JOIN) {
            start.joinUrlProperty().set(launch.joinUrl());
            start.joinPasswordProperty().set(launch.password());
            start.join();
        }
    }

    /** The window icon, at the largest size window managers ask for (the logo file is 512 px). */
    private void setIcon() {
        var icon = ParleyApp.class.getResourceAsStream("/app/parley/ui/parley.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon, 128, 128, true, true));
        }
    }

    /**
     * For bench/run.sh: prints how long after the process started the first frame of the window
     * was drawn ({@code -Dparley.reportStartup=true}). For jpackage/build.sh, which records the
     * classes a launch loads (for the installed app's class data sharing archive), quits there
     * too ({@value #QUIT_AFTER_FIRST_FRAME}{@code =true}).
     */
    private static void reportFirstFrame() {
        new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                long age = processAgeMillis();
                if (age >= 0) {
                    System.out.println("parley: first window frame " + age + " ms after the process started");
                }
                if (Boolean.getBoolean(QUIT_AFTER_FIRST_FRAME)) {
                    Platform.exit();
                }
            }
        }.start();
    }

    /**
     * Milliseconds since this process started, or -1 when unknown. On Linux from /proc, both
     * counts since boot (10 ms resolution): {@code ProcessHandle...startInstant()} adds the
     * kernel's boot time, which /proc/stat gives in whole seconds, so its figure is off by a
     * constant of up to a second on a given boot.
     */
    static long processAgeMillis() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which may hold spaces: state is field 3, starttime field 22.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            String uptime =
                    java.nio.file.Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            // Clock ticks are USER_HZ, 100 a second, on every Linux.
            return Math.round(Double.parseDouble(uptime) * 1000) - startTicks * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return ProcessHandle.current()
                    .info()
                    .startInstant()
                    .map(started -> java.time.Duration.between(started, java.time.Instant.now())
                            .toMillis())
                    .orElse(-1L);
        }
    }

    private StartViewModel showStart() {
        SessionFactory factory = factoryWrapper.apply(
                new DefaultSessionFactory(options.bind(), options.tls(), options.webClient(), options.advertise())
                        .withHostOptions(options.windowHostOptions()));
        StartViewModel model = new StartViewModel(factory, background, pump, this::showChat, settings);
        model.onOpenWorkbench(this::openWorkbench);
        show(new StartView(model, appearance).root(), "Parley");
        startScreen = model;
        model.startBrowsing();
        return model;
    }

    /** Leaving the start screen ends its browsing, so no discovery thread outlives it. */
    private void leaveStart() {
        if (startScreen != null) {
            startScreen.stopBrowsing();
            startScreen = null;
        }
    }

    /** The workbench in a window of its own beside this one; brought to the front when already open. */
    private void openWorkbench() {
        if (workbench != null && workbench.isShowing()) {
            workbench.toFront();
            return;
        }
        Stage window = new Stage();
        Scene workbenchScene = new Scene(new javafx.scene.layout.Pane(), 1200, 760);
        Themes.follow(workbenchScene, appearance.themeProperty());
        window.setScene(workbenchScene);
        window.getIcons().setAll(stage.getIcons());
        workbench = new WorkbenchWindow(window, workbenchScene, background, pump, exportChooser);
        window.show();
    }

    private void showChat(ChatSession session) {
        leaveStart();
        ChatViewModel model = new ChatViewModel(session, pump, background, DataDir.fileCache());
        chat = model;
        // The name the host granted (it may differ from the one asked for), else the one asked for.
        ChatView view = new ChatView(
                model,
                getHostServices()::showDocument,
                () -> chat != null && !chat.myNameProperty().get().isEmpty()
                        ? chat.myNameProperty().get()
                        : settings.nickname(),
                () -> leave(model));
        model.onRefusedAtTheDoor(reason -> leave(model, reason));
        model.onNotify((title, text) ->
                WindowPreferences.of(scene).ifPresent(p -> p.notifier().notify(title, text)));
        show(view.root(), "Parley — " + session.endpoint());
        model.open();
    }

    private void leave(ChatViewModel model) {
        leave(model, null);
    }

    /** Back to the start screen, with {@code reason} shown there when the session never got in. */
    private void leave(ChatViewModel model, String reason) {
        if (chat != model) {
            return;
        }
        chat = null;
        background.execute(() -> {
            model.close();
            pump.execute(() -> {
                StartViewModel start = showStart();
                if (reason != null) {
                    start.showError(reason);
                    if (!model.hostingProperty().get()) {
                        // Only the password (or the trust) needs fixing: keep the address.
                        start.joinUrlProperty().set(model.endpoint());
                    }
                }
            });
        });
    }

    private void show(Parent root, String title) {
        scene.setRoot(root);
        stage.setTitle(title);
    }

    private void showError(Throwable error) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("Parley");
        alert.setHeaderText("Something went wrong");
        alert.setContentText(error.getMessage() == null ? error.toString() : error.getMessage());
        alert.show();
    }

    @Override
    public void stop() throws InterruptedException {
        // The window goes at once; stopping a host takes about half a second (it tells its clients first).
        if (stage != null) {
            stage.hide();
        }
        leaveStart();
        if (workbench != null) {
            workbench.close();
        }
        ChatViewModel open = chat;
        if (open != null) {
            // Closing a host tells its clients and waits a moment for the message to leave.
            background.submit(open::close);
        }
        background.shutdown();
        background.awaitTermination(5, TimeUnit.SECONDS);
    }
}
