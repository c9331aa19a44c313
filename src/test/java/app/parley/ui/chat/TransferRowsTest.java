package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent.TransferProgress;
import app.parley.session.SessionEvent.TransferState;
import org.junit.jupiter.api.Test;

/**
 * The transfers strip's rows, fed the progress events a session sends: a row per transfer while it
 * runs or waits, gone once done, kept with its reason when it fails until the person dismisses it.
 */
class TransferRowsTest {
    private final FileSharing files = new FileSharing(null, Runnable::run, Runnable::run, null, null);

    @Test
    void aRowFollowsItsTransferAndGoesWhenItIsDone() {
        files.progress(event("a", 0, 0, TransferState.RUNNING, null));
        assertThat(files.transfers()).hasSize(1);
        TransferRow row = files.transfers().get(0);
        assertThat(row.title()).isEqualTo("Sending holiday.png");

        files.progress(event("a", 5_000_000, 2_500_000, TransferState.RUNNING, null));
        assertThat(row.fractionProperty().get()).isEqualTo(0.25);
        assertThat(row.detailProperty().get()).isEqualTo("5.0 MB of 20.0 MB · 2.5 MB/s · 6 s left");

        files.progress(event("a", 5_000_000, 0, TransferState.PAUSED, null));
        assertThat(row.detailProperty().get()).endsWith("waiting for the connection");

        files.progress(event("a", 20_000_000, 0, TransferState.DONE, null));
        assertThat(files.transfers()).isEmpty();
        // A burst that was on its way when it ended brings no row back.
        files.progress(event("a", 19_000_000, 1, TransferState.RUNNING, null));
        assertThat(files.transfers()).isEmpty();
    }

    @Test
    void aFailedRowSaysWhyUntilDismissed() {
        files.progress(event("b", 0, 0, TransferState.RUNNING, null));
        files.progress(event("b", 0, 0, TransferState.FAILED, "the bytes do not match the offered SHA-256"));
        assertThat(files.transfers()).hasSize(1);
        TransferRow row = files.transfers().get(0);
        assertThat(row.stateProperty().get()).isEqualTo(TransferState.FAILED);
        assertThat(row.detailProperty().get()).isEqualTo("the bytes do not match the offered SHA-256");

        files.cancel(row);
        assertThat(files.transfers()).isEmpty();
    }

    @Test
    void anEndForATransferNeverSeenRunningMakesNoRow() {
        files.progress(event("c", 0, 0, TransferState.CANCELLED, null));
        files.progress(event("d", 0, 0, TransferState.FAILED, "refused"));
        assertThat(files.transfers()).isEmpty();
    }

    private static TransferProgress event(String id, long done, double speed, TransferState state, String error) {
        return new TransferProgress(
                id, FileTransfer.Direction.SEND, "holiday.png", 20_000_000, done, speed, state, error);
    }
}
