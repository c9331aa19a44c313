package app.parley.ui.sockets;

import app.parley.ui.TextClipboard;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * The Sockets window a host opens from its chat: a live table over {@link SocketsViewModel} and
 * the actions on the chosen socket. Closing it stops the view model listening.
 */
public final class SocketsWindow {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm");

    private final SocketsViewModel model;
    private final Stage stage = new Stage();
    private final Timeline ticker;
    /** The row whose rooms the "its rooms" box follows, and the listener doing it. */
    private SocketRow watchedRow;

    private javafx.beans.value.ChangeListener<List<String>> roomsWatcher;

    private SocketsWindow(SocketsViewModel model, Window owner) {
        this.model = model;
        TableView<SocketRow> table = table();
        BorderPane root = new BorderPane(table);
        root.setId("sockets-root");
        root.setTop(top());
        root.setBottom(actions(table));
        root.getStyleClass().add("sockets-root");
        Scene scene = new Scene(root, 1200, 460);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setTitle("Sockets: Parley host");
        if (owner != null) {
            stage.initOwner(owner);
        }
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> model.tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        stage.setOnHidden(e -> {
            ticker.stop();
            model.close();
        });
    }

    /** Opens a window over {@code model} (which it starts and, once closed, closes). FX thread. */
    public static SocketsWindow open(SocketsViewModel model, Window owner) {
        SocketsWindow window = new SocketsWindow(model, owner);
        model.start();
        window.ticker.play();
        window.stage.show();
        return window;
    }

    public boolean isShowing() {
        return stage.isShowing();
    }

    public void toFront() {
        stage.toFront();
    }

    public void close() {
        stage.close();
    }

    private VBox top() {
        Label summary = new Label();
        summary.setId("sockets-summary");
        summary.textProperty().bind(model.summaryProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        TextField filter = new TextField();
        filter.setId("sockets-filter");
        filter.setPromptText("Filter: id, name, address, room");
        filter.setPrefColumnCount(22);
        filter.textProperty().bindBidirectional(model.filterProperty());
        HBox row = new HBox(8, summary, spacer, filter);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("header-row");
        VBox top = new VBox(row);
        top.getStyleClass().add("header");
        return top;
    }

    private TableView<SocketRow> table() {
        TableView<SocketRow> table = new TableView<>(model.shownRows());
        table.setId("sockets-table");
        table.setPlaceholder(new Label("No socket is connected."));
        table.getColumns()
                .setAll(List.of(
                        column("Name", 140, SocketRow::nameProperty),
                        column("Id", 265, row -> fixed(row.id())),
                        column("Namespace", 95, row -> fixed(row.namespace())),
                        column("Transport", 80, SocketRow::transportProperty),
                        column("Address", 110, row -> fixed(row.address())),
                        column(
                                "Rooms",
                                150,
                                row -> Bindings.createStringBinding(
                                        () -> String.join(
                                                ", ", row.roomsProperty().get()),
                                        row.roomsProperty())),
                        column("Connected", 90, row -> fixed(since(row))),
                        column("Msg/s in / out", 115, SocketRow::messageRateProperty),
                        column("Bytes/s in / out", 140, SocketRow::byteRateProperty)));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null
                    || !table.getItems().contains(model.selectedProperty().get())) {
                model.selectedProperty().set(now);
            }
        });
        model.selectedProperty().addListener((obs, old, now) -> {
            if (now == null) {
                table.getSelectionModel().clearSelection();
            } else if (table.getSelectionModel().getSelectedItem() != now) {
                table.getSelectionModel().select(now);
            }
        });
        table.setRowFactory(view -> {
            TableRow<SocketRow> row = new TableRow<>();
            MenuItem copy = new MenuItem("Copy id");
            copy.setOnAction(e -> TextClipboard.copy(row.getItem().id()));
            MenuItem kick = new MenuItem("Kick");
            kick.setOnAction(e -> model.kick(row.getItem()));
            row.itemProperty().addListener((obs, old, now) -> {
                row.setContextMenu(now == null ? null : new ContextMenu(copy, kick));
                kick.setDisable(now == null || !now.kickable());
            });
            return row;
        });
        return table;
    }

    private VBox actions(TableView<SocketRow> table) {
        BooleanBinding noChatSocket = Bindings.createBooleanBinding(
                () -> model.selectedProperty().get() == null
                        || !model.selectedProperty().get().chat(),
                model.selectedProperty());

        TextField room = new TextField();
        room.setId("sockets-room");
        room.setPromptText("room");
        room.setPrefColumnCount(12);
        Button join = new Button("Move into room");
        join.setId("sockets-join");
        join.disableProperty().bind(noChatSocket.or(room.textProperty().isEmpty()));
        join.setOnAction(e -> model.join(model.selectedProperty().get(), room.getText()));
        room.setOnAction(e -> {
            if (!join.isDisabled()) {
                join.fire();
            }
        });

        ComboBox<String> roomsOfSocket = new ComboBox<>();
        roomsOfSocket.setId("sockets-rooms-of-socket");
        roomsOfSocket.setPromptText("its rooms");
        model.selectedProperty().addListener((obs, old, now) -> showRoomsOf(now, roomsOfSocket));
        Button leave = new Button("Take out of room");
        leave.setId("sockets-leave");
        leave.disableProperty()
                .bind(noChatSocket.or(roomsOfSocket.valueProperty().isNull()));
        leave.setOnAction(e -> model.leave(model.selectedProperty().get(), roomsOfSocket.getValue()));

        Button kick = new Button("Kick");
        kick.setId("sockets-kick");
        kick.getStyleClass().add("danger");
        kick.setTooltip(new Tooltip("Disconnect it from the chat; its client is told the server disconnected it"));
        kick.disableProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> model.selectedProperty().get() == null
                                || !model.selectedProperty().get().kickable(),
                        model.selectedProperty()));
        kick.setOnAction(e -> model.kick(model.selectedProperty().get()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, room, join, roomsOfSocket, leave, spacer, kick);
        buttons.setAlignment(Pos.CENTER_LEFT);
        buttons.getStyleClass().add("header-row");
        Label status = new Label();
        status.setId("sockets-status");
        status.getStyleClass().add("muted");
        status.textProperty().bind(model.statusProperty());
        VBox bottom = new VBox(4, buttons, status);
        bottom.getStyleClass().add("header");
        return bottom;
    }

    /** Keeps the combo box on the chosen socket's rooms as they change, one of them chosen. */
    private void showRoomsOf(SocketRow row, ComboBox<String> box) {
        if (watchedRow != null) {
            watchedRow.roomsProperty().removeListener(roomsWatcher);
        }
        watchedRow = row;
        roomsWatcher = (obs, old, now) -> fillRooms(box, now);
        if (row == null) {
            fillRooms(box, List.of());
            return;
        }
        row.roomsProperty().addListener(roomsWatcher);
        fillRooms(box, row.roomsProperty().get());
    }

    private static void fillRooms(ComboBox<String> box, List<String> rooms) {
        String chosen = box.getValue();
        box.getItems().setAll(rooms);
        box.setValue(chosen != null && rooms.contains(chosen) ? chosen : rooms.isEmpty() ? null : rooms.get(0));
    }

    private static TableColumn<SocketRow, String> column(
            String title, double width, Function<SocketRow, ObservableValue<String>> value) {
        TableColumn<SocketRow, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> value.apply(cell.getValue()));
        return column;
    }

    private static ObservableValue<String> fixed(String text) {
        return new ReadOnlyStringWrapper(text == null ? "" : text).getReadOnlyProperty();
    }

    private static String since(SocketRow row) {
        var local = row.connectedSince().atZone(ZoneId.systemDefault());
        return local.toLocalDate().equals(LocalDate.now()) ? TIME.format(local) : DAY_AND_TIME.format(local);
    }
}
