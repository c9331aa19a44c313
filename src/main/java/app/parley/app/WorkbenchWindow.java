package app.parley.app;

import app.parley.ui.workbench.WorkbenchView;
import app.parley.ui.workbench.WorkbenchViewModel;
import app.parley.workbench.SavedItems;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.scene.Scene;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The Socket.IO workbench in a stage: its view model over the saved items in the data directory. */
final class WorkbenchWindow {
    private final Stage stage;
    private final WorkbenchViewModel model;

    /**
     * @param chooseExport where to export a log; null for a save dialog
     */
    WorkbenchWindow(
            Stage stage, Scene scene, Executor background, Executor ui, Function<Window, Optional<Path>> chooseExport) {
        this.stage = stage;
        this.model = new WorkbenchViewModel(
                SavedItems.load(DataDir.get().resolve(SavedItems.FILE_NAME), background), background, ui);
        WorkbenchView view =
                new WorkbenchView(model, chooseExport != null ? chooseExport : WorkbenchWindow::saveDialog);
        scene.setRoot(view.root());
        stage.setTitle("Parley — Socket.IO workbench");
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        // Closing the window ends its connections; the rest of the app goes on.
        stage.setOnHidden(e -> model.closeAll());
    }

    boolean isShowing() {
        return stage.isShowing();
    }

    void toFront() {
        stage.toFront();
    }

    void close() {
        model.closeAll();
    }

    private static Optional<Path> saveDialog(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the log as JSON");
        chooser.setInitialFileName("socketio-log.json");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(java.io.File::toPath);
    }
}
