package app.parley.ui.chat;

import app.parley.session.SessionEvent.TransferState;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Above the composer: a row per file going up or coming down, with its bar, its figures and ×. */
final class TransferStrip {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass PAUSED = PseudoClass.getPseudoClass("paused");

    /** Rows shown at most, so a folder of files dropped at once does not push the conversation away. */
    static final int ROWS_SHOWN = 4;

    private final VBox root = new VBox();
    private final java.util.Map<TransferRow, Node> nodes = new java.util.IdentityHashMap<>();
    private final ChatViewModel model;

    TransferStrip(ChatViewModel model) {
        this.model = model;
        root.setId("transfers");
        root.getStyleClass().add("transfers");
        root.visibleProperty().bind(Bindings.isNotEmpty(model.transfers()));
        root.managedProperty().bind(root.visibleProperty());
        model.transfers().addListener((ListChangeListener<TransferRow>) change -> rebuild());
        rebuild();
    }

    VBox root() {
        return root;
    }

    /** Rebuilt whole when a row comes or goes; the first few show, the rest are counted. */
    private void rebuild() {
        List<Node> shown = new ArrayList<>();
        // A row's node lives as long as its transfer: made once, not again at every change.
        nodes.keySet().retainAll(model.transfers());
        model.transfers().stream()
                .limit(ROWS_SHOWN)
                .map(transfer -> nodes.computeIfAbsent(transfer, this::row))
                .forEach(shown::add);
        int more = model.transfers().size() - ROWS_SHOWN;
        if (more > 0) {
            Label rest = new Label(more == 1 ? "and 1 more file" : "and " + more + " more files");
            rest.getStyleClass().add("transfer-more");
            shown.add(rest);
        }
        root.getChildren().setAll(shown);
    }

    private Node row(TransferRow transfer) {
        Label title = new Label(transfer.title());
        title.getStyleClass().add("transfer-title");

        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(transfer.fractionProperty());
        bar.setPrefWidth(160);
        bar.setMinWidth(Region.USE_PREF_SIZE);
        Label detail = new Label();
        detail.getStyleClass().add("transfer-detail");
        detail.textProperty().bind(transfer.detailProperty());
        // The reason a transfer failed can be long (the host's limit, in words): it wraps.
        detail.setWrapText(true);
        VBox words = new VBox(title, detail);
        words.setMinWidth(0);
        HBox.setHgrow(words, Priority.ALWAYS);
        Button cancel = new Button("×");
        cancel.getStyleClass().addAll("flat", "transfer-cancel");
        cancel.setFocusTraversable(false);
        cancel.setOnAction(e -> model.cancelTransfer(transfer));
        HBox row = new HBox(words, bar, cancel);
        row.getStyleClass().add("transfer-row");
        row.setAlignment(Pos.CENTER_LEFT);
        Runnable styleState = () -> {
            TransferState state = transfer.stateProperty().get();
            row.pseudoClassStateChanged(FAILED, state == TransferState.FAILED);
            row.pseudoClassStateChanged(PAUSED, state == TransferState.PAUSED);
            bar.setVisible(state != TransferState.FAILED);
            bar.setManaged(bar.isVisible());
            cancel.setTooltip(new Tooltip(state == TransferState.FAILED ? "Dismiss" : "Cancel"));
        };
        transfer.stateProperty().addListener((obs, old, now) -> styleState.run());
        styleState.run();
        return row;
    }
}
