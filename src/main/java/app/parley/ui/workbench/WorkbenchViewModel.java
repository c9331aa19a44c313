package app.parley.ui.workbench;

import app.parley.workbench.ConnectionSpec;
import app.parley.workbench.SavedEmitter;
import app.parley.workbench.SavedItems;
import java.util.concurrent.Executor;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The workbench window: its connections side by side, and the connections and emitters saved
 * for later. Used on the FX thread.
 *
 * <pre>{@code
 * WorkbenchViewModel model = new WorkbenchViewModel(SavedItems.load(file, background), background, pump);
 * ConnectionTabModel tab = model.open(spec);
 * tab.connect();
 * }</pre>
 */
public final class WorkbenchViewModel {
    private final SavedItems saved;
    private final Executor background;
    private final Executor ui;

    // Properties //
    private final ObservableList<ConnectionTabModel> tabs = FXCollections.observableArrayList();
    private final ObservableList<ConnectionSpec> savedConnections = FXCollections.observableArrayList();
    private final ObservableList<SavedEmitter> savedEmitters = FXCollections.observableArrayList();

    /**
     * @param background where files are written
     * @param ui         the hop onto the FX thread (the app's FxPump)
     */
    public WorkbenchViewModel(SavedItems saved, Executor background, Executor ui) {
        this.saved = saved;
        this.background = background;
        this.ui = ui;
        savedConnections.setAll(saved.connections());
        savedEmitters.setAll(saved.emitters());
    }

    public ObservableList<ConnectionTabModel> tabs() {
        return tabs;
    }

    public ObservableList<ConnectionSpec> savedConnections() {
        return savedConnections;
    }

    public ObservableList<SavedEmitter> savedEmitters() {
        return savedEmitters;
    }

    /** The spec a new connection's dialog starts from: the last saved one, else localhost:3000. */
    public ConnectionSpec startingSpec() {
        return savedConnections.isEmpty() ? ConnectionSpec.defaults() : savedConnections.get(0);
    }

    // Commands //

    /** A new tab for {@code spec}, not yet connected. */
    public ConnectionTabModel open(ConnectionSpec spec) {
        ConnectionTabModel tab = new ConnectionTabModel(spec, background, ui);
        tabs.add(tab);
        return tab;
    }

    public void close(ConnectionTabModel tab) {
        tab.close();
        tabs.remove(tab);
    }

    public void saveConnection(ConnectionSpec spec) {
        saved.saveConnection(spec);
        savedConnections.setAll(saved.connections());
    }

    public void forgetConnection(ConnectionSpec spec) {
        saved.forgetConnection(spec.name());
        savedConnections.setAll(saved.connections());
    }

    public void saveEmitter(SavedEmitter emitter) {
        saved.saveEmitter(emitter);
        savedEmitters.setAll(saved.emitters());
    }

    public void forgetEmitter(SavedEmitter emitter) {
        saved.forgetEmitter(emitter.name());
        savedEmitters.setAll(saved.emitters());
    }

    /** Closes every connection (the window is closing). */
    public void closeAll() {
        tabs.forEach(ConnectionTabModel::close);
        tabs.clear();
    }
}
