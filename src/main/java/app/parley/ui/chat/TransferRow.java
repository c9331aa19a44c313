package app.parley.ui.chat;

import app.parley.protocol.SharedFile;
import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent;
import app.parley.session.SessionEvent.TransferState;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One file going up or coming down, as the transfers strip shows it: "Sending report.pdf",
 * "3.2 MB of 20.0 MB · 4.1 MB/s · 5 s left", how far it is, and a way to stop it.
 */
public final class TransferRow {
    private final String id;
    private final String title;
    private FileTransfer handle;
    private boolean cancelAsked;

    // Properties //
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<TransferState> state = new ReadOnlyObjectWrapper<>(TransferState.RUNNING);

    TransferRow(String id, FileTransfer.Direction direction, String name, long size) {
        this.id = id;
        this.title = (direction == FileTransfer.Direction.SEND ? "Sending " : "Receiving ") + name;
        detail.set(SharedFile.readableSize(0) + " of " + SharedFile.readableSize(size));
    }

    String id() {
        return id;
    }

    /** "Sending report.pdf" */
    public String title() {
        return title;
    }

    /** From 0 to 1. */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    /** "3.2 MB of 20.0 MB · 4.1 MB/s · 5 s left", "waiting for the connection", or why it failed. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TransferState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** Stops it; the model takes the row away once it has stopped. */
    void cancel() {
        cancelAsked = true;
        if (handle != null) {
            handle.cancel();
        }
    }

    void attach(FileTransfer transfer) {
        handle = transfer;
        if (cancelAsked) {
            transfer.cancel();
        }
    }

    boolean cancelAsked() {
        return cancelAsked;
    }

    void progress(SessionEvent.TransferProgress p) {
        state.set(p.state());
        fraction.set(
                p.size() <= 0 ? (p.state() == TransferState.DONE ? 1 : 0) : Math.min(1, (double) p.done() / p.size()));
        detail.set(describe(p));
    }

    void failed(String reason) {
        state.set(TransferState.FAILED);
        detail.set(reason);
    }

    /** What a progress event says to a person. */
    static String describe(SessionEvent.TransferProgress p) {
        String amount = SharedFile.readableSize(p.done()) + " of " + SharedFile.readableSize(p.size());
        return switch (p.state()) {
            case PAUSED -> amount + " · waiting for the connection";
            case FAILED -> p.error() == null || p.error().isBlank() ? "failed" : p.error();
            case CANCELLED -> "cancelled";
            case DONE -> SharedFile.readableSize(p.size()) + " · done";
            case RUNNING -> {
                StringBuilder text = new StringBuilder(amount);
                if (p.bytesPerSecond() > 0) {
                    text.append(" · ")
                            .append(SharedFile.readableSize((long) p.bytesPerSecond()))
                            .append("/s");
                }
                long left = p.secondsLeft();
                if (left >= 0) {
                    text.append(" · ").append(timeLeft(left)).append(" left");
                }
                yield text.toString();
            }
        };
    }

    static String timeLeft(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds + 30) / 60 + " min";
        }
        long minutes = (seconds + 30) / 60;
        return minutes / 60 + " h " + minutes % 60 + " min";
    }
}
