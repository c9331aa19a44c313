package app.parley.ui.chat;

import app.parley.session.SessionEvent.TransferState;
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
import javafx.scene.layout.VBox;

/** Above the composer: a row per file going up or coming down, with its bar, its figures and ×. */
final class TransferStrip {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass PAUSED = PseudoClass.getPseudoClass("paused");

    private final VBox root = new VBox();
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

    /** A handful of rows at most: rebuilt whole when one comes or goes. */
    private void rebuild() {
        root.getChildren().setAll(model.transfers().stream().map(this::row).toList());
    }

    private Node row(TransferRow transfer) {
        Label title = new Label(transfer.title());
        title.getStyleClass().add("transfer-title");
        title.setMaxWidth(260);
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(transfer.fractionProperty());
        bar.setPrefWidth(180);
        bar.setMinWidth(80);
        Label detail = new Label();
        detail.getStyleClass().add("transfer-detail");
        detail.textProperty().bind(transfer.detailProperty());
        HBox.setHgrow(detail, Priority.ALWAYS);
        detail.setMaxWidth(Double.MAX_VALUE);
        Button cancel = new Button("×");
        cancel.getStyleClass().addAll("flat", "transfer-cancel");
        cancel.setFocusTraversable(false);
        cancel.setOnAction(e -> model.cancelTransfer(transfer));
        HBox row = new HBox(title, bar, detail, cancel);
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
