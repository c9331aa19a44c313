package app.parley.ui.workbench;

import app.parley.workbench.ConnectionSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Window;

/**
 * The Socket.IO workbench window: connections side by side in tabs, each with its own log, over
 * a {@link WorkbenchViewModel}. New connection… opens the connection dialog; Saved connections
 * opens or forgets one kept before.
 */
public final class WorkbenchView {
    /** The workbench's stylesheet, over the theme and parley.css. */
    static final String CSS = Objects.requireNonNull(
                    WorkbenchView.class.getResource("/app/parley/ui/workbench.css"), "workbench.css")
            .toExternalForm();

    private final WorkbenchViewModel model;
    private final Function<Window, Optional<Path>> chooseExport;
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final Map<ConnectionTabModel, Tab> shown = new HashMap<>();

    /** @param chooseExport asks where to export a log (a save dialog in the app, a fixed path in tests) */
    public WorkbenchView(WorkbenchViewModel model, Function<Window, Optional<Path>> chooseExport) {
        this.model = model;
        this.chooseExport = chooseExport;
        root.getStyleClass().add("wb-root");
        root.getStylesheets().add(CSS);
        Label title = new Label("Socket.IO workbench");
        title.getStyleClass().add("wb-title");
        Label subtitle = new Label("Any Socket.IO v4 server: every event in and out, acks both ways");
        subtitle.getStyleClass().add("muted");
        Button add = new Button("New connection…");
        add.setId("wb-new");
        add.getStyleClass().add("accent");
        add.setOnAction(e -> newConnection());
        MenuButton saved = new MenuButton("Saved connections");
        saved.setId("wb-saved");
        saved.setOnShowing(e -> fillSaved(saved));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(title, subtitle, spacer, saved, add);
        top.getStyleClass().addAll("wb-row", "wb-top");

        tabs.setId("wb-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        Label empty = new Label("No connection yet. New connection… opens one; several can run side by side.");
        empty.getStyleClass().add("muted");
        empty.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.tabs()));
        model.tabs().addListener((ListChangeListener<ConnectionTabModel>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(t -> tabs.getTabs().remove(shown.remove(t)));
                change.getAddedSubList().forEach(this::addTab);
            }
        });
        model.tabs().forEach(this::addTab);
        root.setTop(top);
        root.setCenter(new StackPane(tabs, empty));
    }

    public Parent root() {
        return root;
    }

    /** Opens the connection dialog, then a tab that connects at once. */
    public void newConnection() {
        ConnectionDialog.show(window(), model.startingSpec(), "Connect").ifPresent(result -> {
            if (result.save()) {
                model.saveConnection(result.spec());
            }
            model.open(result.spec()).connect();
        });
    }

    private void addTab(ConnectionTabModel tabModel) {
        Tab tab = new Tab();
        tab.textProperty().bind(tabModel.titleProperty());
        tab.setContent(new ConnectionTabView(tabModel, model, chooseExport).node());
        tab.setOnClosed(e -> model.close(tabModel));
        shown.put(tabModel, tab);
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
    }

    private void fillSaved(MenuButton menu) {
        menu.getItems().clear();
        if (model.savedConnections().isEmpty()) {
            MenuItem none = new MenuItem("None saved yet: tick Save in the connection dialog");
            none.setDisable(true);
            menu.getItems().add(none);
            return;
        }
        Menu forget = new Menu("Forget");
        for (ConnectionSpec spec : model.savedConnections()) {
            MenuItem open = new MenuItem(spec.name() + "   " + spec.url() + spec.namespace());
            open.setOnAction(e -> model.open(spec).connect());
            menu.getItems().add(open);
            MenuItem drop = new MenuItem(spec.name());
            drop.setOnAction(e -> model.forgetConnection(spec));
            forget.getItems().add(drop);
        }
        menu.getItems().addAll(new SeparatorMenuItem(), forget);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
