package app.parley.ui.start;

import app.parley.session.NearbySession;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;

/**
 * "Sessions nearby": what {@link StartViewModel#nearbySessions()} holds, one row per session with
 * its name and address, a lock when it needs a password and a shield when it is TLS. Double-click
 * or Enter joins. Names came from the network: they are set as label text, never parsed.
 */
final class NearbyList {
    /** The placeholder: no dialog and no error, wherever multicast does not reach. */
    static final String EMPTY = "No sessions found on this network";

    static final String LOCK_TIP = "Needs a password: type it under Password before joining";
    static final String SHIELD_TIP =
            "Secure (TLS): encrypted, and the certificate is checked against the one announced";

    // 16 px outlines, drawn rather than taken from a font: emoji fonts are missing on many desktops.
    private static final String LOCK = "M4 7V5a4 4 0 0 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9"
            + "A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4zm2 0h4V5a2 2 0 0 0-4 0v2z";
    private static final String SHIELD = "M8 1l6 2.4v4.3c0 3.6-2.5 6.5-6 7.3-3.5-.8-6-3.7-6-7.3V3.4L8 1z";

    private final ListView<NearbySession> list;

    NearbyList(StartViewModel model) {
        list = new ListView<>(model.nearbySessions());
        list.setId("nearby-list");
        list.getStyleClass().add("start-list");
        list.setAccessibleText("Sessions nearby");
        Label placeholder = new Label(EMPTY);
        placeholder.setId("nearby-empty");
        placeholder.getStyleClass().add("muted");
        placeholder.setWrapText(true);
        list.setPlaceholder(placeholder);
        list.setCellFactory(l -> new NearbyCell());
        list.setOnMouseClicked(e -> {
            NearbySession chosen = list.getSelectionModel().getSelectedItem();
            if (chosen != null && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                model.joinNearby(chosen);
            }
        });
        list.setOnKeyPressed(e -> {
            NearbySession chosen = list.getSelectionModel().getSelectedItem();
            if (chosen != null && e.getCode() == KeyCode.ENTER) {
                e.consume();
                model.joinNearby(chosen);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
    }

    ListView<NearbySession> node() {
        return list;
    }

    /** What a screen reader says for a row: everything the icons show, in words. */
    static String spoken(NearbySession session) {
        List<String> parts = new ArrayList<>(List.of(session.name(), session.address()));
        if (session.password()) {
            parts.add("needs a password");
        }
        if (session.tls()) {
            parts.add("secure, TLS");
        }
        return String.join(", ", parts);
    }

    private static final class NearbyCell extends ListCell<NearbySession> {
        private final Label name = plain("entry-name");
        private final Label address = plain("entry-address");
        private final Node lock = icon(LOCK, "lock-icon", LOCK_TIP);
        private final Node shield = icon(SHIELD, "shield-icon", SHIELD_TIP);
        private final HBox row;

        NearbyCell() {
            address.getStyleClass().add("muted");
            VBox text = new VBox(name, address);
            text.setAlignment(Pos.CENTER_LEFT);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            row = new HBox(text, lock, shield);
            row.getStyleClass().add("entry-row");
            setAccessibleRole(AccessibleRole.LIST_ITEM);
        }

        @Override
        protected void updateItem(NearbySession session, boolean empty) {
            super.updateItem(session, empty);
            setText(null);
            if (empty || session == null) {
                setGraphic(null);
                setAccessibleText(null);
                return;
            }
            name.setText(session.name());
            address.setText(session.address());
            show(lock, session.password());
            show(shield, session.tls());
            setAccessibleText(spoken(session));
            setGraphic(row);
        }
    }

    /** A label that shows its text as it is: no mnemonic underscore, one line, cut with an ellipsis. */
    static Label plain(String styleClass) {
        Label label = new Label();
        label.setMnemonicParsing(false);
        label.setWrapText(false);
        label.setMinWidth(0);
        label.getStyleClass().add(styleClass);
        return label;
    }

    private static Node icon(String path, String styleClass, String tip) {
        SVGPath shape = new SVGPath();
        shape.setContent(path);
        shape.getStyleClass().add("entry-icon");
        // In a label: a steady box for the layout and the tooltip, and a node a screen reader can name.
        Label holder = new Label(null, shape);
        holder.getStyleClass().addAll("entry-icon-box", styleClass);
        holder.setAccessibleText(tip);
        Tooltip.install(holder, new Tooltip(tip));
        return holder;
    }

    private static void show(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }
}
