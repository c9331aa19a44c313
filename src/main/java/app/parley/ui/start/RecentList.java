package app.parley.ui.start;

import app.parley.settings.RecentSession;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * "Recent": the sessions joined before, most recent first. One click (or Enter) joins again; the
 * × on a row (or Delete) takes it off the list.
 */
final class RecentList {
    static final String EMPTY = "Sessions you join appear here";

    private final ListView<RecentSession> list;

    RecentList(StartViewModel model) {
        list = new ListView<>(model.recentSessions());
        list.setId("recent-list");
        list.getStyleClass().add("start-list");
        list.setAccessibleText("Recent sessions");
        Label placeholder = new Label(EMPTY);
        placeholder.getStyleClass().add("muted");
        placeholder.setWrapText(true);
        list.setPlaceholder(placeholder);
        list.setCellFactory(l -> new RecentCell(model));
        list.setOnKeyPressed(e -> {
            RecentSession chosen = list.getSelectionModel().getSelectedItem();
            if (chosen == null) {
                return;
            }
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                model.joinRecent(chosen);
            } else if (e.getCode() == KeyCode.DELETE) {
                e.consume();
                model.removeRecent(chosen);
            }
        });
    }

    ListView<RecentSession> node() {
        return list;
    }

    private static final class RecentCell extends ListCell<RecentSession> {
        private final Label name = NearbyList.plain("entry-name");
        private final Label address = NearbyList.plain("entry-address");
        private final Button remove = new Button("\u00D7");
        private final HBox row;

        RecentCell(StartViewModel model) {
            address.getStyleClass().add("muted");
            VBox text = new VBox(name, address);
            text.setAlignment(Pos.CENTER_LEFT);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            remove.getStyleClass().addAll("flat", "remove-recent");
            remove.setFocusTraversable(false);
            remove.setTooltip(new Tooltip("Remove from recent sessions"));
            remove.setOnAction(e -> {
                if (getItem() != null) {
                    model.removeRecent(getItem());
                }
            });
            row = new HBox(text, remove);
            row.getStyleClass().add("entry-row");
            setAccessibleRole(AccessibleRole.LIST_ITEM);
            setOnMouseClicked(e -> {
                if (getItem() != null
                        && e.getButton() == MouseButton.PRIMARY
                        && !within(e.getPickResult().getIntersectedNode(), remove)) {
                    model.joinRecent(getItem());
                }
            });
        }

        @Override
        protected void updateItem(RecentSession session, boolean empty) {
            super.updateItem(session, empty);
            setText(null);
            if (empty || session == null) {
                setGraphic(null);
                setAccessibleText(null);
                return;
            }
            name.setText(session.name());
            address.setText(session.address());
            // The address twice says nothing: a session never named shows it once.
            address.setVisible(!session.name().equals(session.address()));
            address.setManaged(address.isVisible());
            remove.setAccessibleText("Remove " + session.name() + " from recent sessions");
            setAccessibleText(session.name() + ", " + session.address() + ", joined before");
            setGraphic(row);
        }

        private static boolean within(Node picked, Node ancestor) {
            for (Node n = picked; n != null; n = n.getParent()) {
                if (n == ancestor) {
                    return true;
                }
            }
            return false;
        }
    }
}
