package app.parley.ui.workbench;

import app.parley.workbench.LogEntry;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * The log as a table: time, direction, namespace, event, and the arguments on one line (binary as
 * size and hex). Rows are coloured by direction; new entries scroll into view unless the person
 * has selected one to read.
 */
final class LogTable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final TableView<LogEntry> table = new TableView<>();

    LogTable(ConnectionTabModel model) {
        table.setId("wb-log");
        table.getStyleClass().addAll("wb-log", "dense");
        table.setItems(model.shown());
        table.setPlaceholder(
                new javafx.scene.control.Label("Nothing yet: connect, then every event in and out shows here"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("#", 44, e -> Long.toString(e.seq())));
        table.getColumns().add(column("Time", 110, e -> TIME.format(e.time())));
        table.getColumns().add(column("", 30, LogTable::arrow));
        table.getColumns().add(column("Namespace", 110, LogEntry::namespace));
        table.getColumns().add(column("Event", 190, e -> eventText(model, e)));
        table.getColumns().add(column("Data", 420, LogEntry::summary));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(LogEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                getStyleClass().removeAll("wb-in", "wb-out", "wb-state", "wb-waiting", "wb-problem");
                if (!empty && entry != null) {
                    getStyleClass()
                            .add(
                                    switch (entry.direction()) {
                                        case IN -> "wb-in";
                                        case OUT -> "wb-out";
                                        case STATE -> "wb-state";
                                    });
                    if (model.waitsForAnswer(entry)) {
                        getStyleClass().add("wb-waiting");
                    }
                    if (entry.kind() == LogEntry.Kind.ACK_TIMEOUT || entry.kind() == LogEntry.Kind.CONNECT_ERROR) {
                        getStyleClass().add("wb-problem");
                    }
                }
            }
        });
        model.answered().addListener((javafx.collections.SetChangeListener<Integer>) change -> table.refresh());
        model.selectedProperty().bind(table.getSelectionModel().selectedItemProperty());
        model.shown().addListener((ListChangeListener<LogEntry>) change -> {
            if (table.getSelectionModel().isEmpty() && !model.shown().isEmpty()) {
                table.scrollTo(model.shown().size() - 1);
            }
        });
    }

    TableView<LogEntry> node() {
        return table;
    }

    private static String arrow(LogEntry e) {
        return switch (e.direction()) {
            case IN -> "↓";
            case OUT -> "↑";
            case STATE -> "•";
        };
    }

    private static String eventText(ConnectionTabModel model, LogEntry e) {
        return switch (e.kind()) {
            case ACK -> "ack ← " + e.event();
            case ACK_TIMEOUT -> "timeout: " + e.event();
            case ACK_REPLY -> "ack → " + e.event();
            default ->
                !e.expectsReply()
                        ? e.event()
                        : e.event()
                                + (model.waitsForAnswer(e)
                                        ? "  (#" + e.replyId() + " waits)"
                                        : "  (#" + e.replyId() + ")");
        };
    }

    private static TableColumn<LogEntry, String> column(String title, double width, Function<LogEntry, String> text) {
        TableColumn<LogEntry, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        // Only the data column gives way when the window narrows; the others stay readable.
        if (!title.equals("Data")) {
            column.setMinWidth(width);
        }
        column.setSortable(false);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }
}
