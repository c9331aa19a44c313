package app.parley.ui.workbench;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * One connection's tab: its status and commands on top, the log (search, direction, pause) beside
 * the selected entry in full, and the emit form below.
 */
final class ConnectionTabView {
    private static final javafx.css.PseudoClass CONNECTED = javafx.css.PseudoClass.getPseudoClass("connected");

    private final BorderPane root = new BorderPane();

    ConnectionTabView(
            ConnectionTabModel model, WorkbenchViewModel workbench, Function<Window, Optional<Path>> chooseExport) {
        root.getStyleClass().add("wb-tab");
        Label status = new Label();
        status.setId("wb-status");
        status.getStyleClass().add("wb-status");
        status.textProperty().bind(model.statusProperty());
        model.connectedProperty().addListener((o, was, now) -> status.pseudoClassStateChanged(CONNECTED, now));
        Button connect = new Button("Connect");
        connect.setId("wb-connect");
        connect.getStyleClass().add("accent");
        connect.disableProperty().bind(model.connectedProperty());
        connect.setOnAction(e -> model.connect());
        Button disconnect = new Button("Disconnect");
        disconnect.setId("wb-disconnect");
        disconnect.setOnAction(e -> model.disconnect());
        Button edit = new Button("Edit…");
        edit.setId("wb-edit");
        edit.setOnAction(e -> ConnectionDialog.show(window(), model.spec(), "Reconnect")
                .ifPresent(r -> {
                    model.use(r.spec());
                    if (r.save()) {
                        workbench.saveConnection(r.spec());
                    }
                    model.connect();
                }));
        Button save = new Button("Save");
        save.setId("wb-save");
        save.setOnAction(e -> workbench.saveConnection(model.spec()));
        Button export = new Button("Export log…");
        export.setId("wb-export");
        export.setOnAction(e -> chooseExport.apply(window()).ifPresent(model::export));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(status, spacer, connect, disconnect, edit, save, export);
        bar.getStyleClass().addAll("wb-row", "wb-bar");

        TextField search = new TextField();
        search.setId("wb-search");
        search.setPromptText("Search events and data");
        search.textProperty().bindBidirectional(model.searchProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        ChoiceBox<ConnectionTabModel.Show> show = new ChoiceBox<>();
        show.setId("wb-show");
        show.getItems().setAll(ConnectionTabModel.Show.values());
        show.valueProperty().bindBidirectional(model.showProperty());
        show.setPrefWidth(120);
        ToggleButton pause = new ToggleButton("Pause");
        pause.setId("wb-pause");
        pause.selectedProperty().bindBidirectional(model.pausedProperty());
        Label held = new Label();
        held.setId("wb-held");
        held.getStyleClass().add("muted");
        held.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> model.pausedProperty().get()
                                ? model.heldCountProperty().get() + " held"
                                : "",
                        model.pausedProperty(),
                        model.heldCountProperty()));
        Button clear = new Button("Clear");
        clear.setId("wb-clear");
        clear.setOnAction(e -> model.clearLog());
        HBox filters = new HBox(search, show, pause, held, clear);
        filters.getStyleClass().add("wb-row");

        LogTable table = new LogTable(model);
        VBox.setVgrow(table.node(), Priority.ALWAYS);
        VBox logColumn = new VBox(filters, table.node());
        logColumn.getStyleClass().add("wb-log-column");
        SplitPane split = new SplitPane(logColumn, new EntryDetail(model).node());
        split.setDividerPositions(0.66);

        Label message = new Label();
        message.setId("wb-message");
        message.getStyleClass().add("wb-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        VBox bottom = new VBox(message, new EmitPane(model, workbench).node());

        root.setTop(bar);
        root.setCenter(split);
        root.setBottom(bottom);
    }

    BorderPane node() {
        return root;
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
