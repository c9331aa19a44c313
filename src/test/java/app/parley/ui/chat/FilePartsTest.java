package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.protocol.ImageHeader;
import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent.TransferProgress;
import app.parley.session.SessionEvent.TransferState;
import app.parley.ui.lines.Attachment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of file sharing that need no session and no stage: PNGs, headers, names, figures. */
class FilePartsTest {
    @TempDir
    Path dir;

    @Test
    void aPastedPictureIsAPngThatAnotherDecoderReadsPixelForPixel() throws Exception {
        int width = 7;
        int height = 3;
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (i * 37 & 0xff) << 24 | (i * 11 & 0xff) << 16 | (i * 5 & 0xff) << 8 | (i * 3 & 0xff);
        }
        byte[] png = PngWriter.write(width, height, argb);

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(read.getWidth()).isEqualTo(width);
        assertThat(read.getHeight()).isEqualTo(height);
        int[] back = read.getRGB(0, 0, width, height, null, 0, width);
        assertThat(back).isEqualTo(argb);
        assertThat(ImageHeader.read(png, png.length)).contains(new ImageHeader.Picture("image/png", 7, 3));
        assertThatThrownBy(() -> PngWriter.write(0, 3, argb)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDecompressionBombIsReadAsTooLargeToShow() throws Exception {
        // A real 1 × 1 PNG whose header is rewritten to claim 50,000 × 50,000 pixels.
        byte[] png = PngWriter.write(1, 1, new int[] {0xff000000});
        writeInt(png, 16, 50_000);
        writeInt(png, 20, 50_000);
        Path bomb = Files.write(dir.resolve("bomb.png"), png);

        ImageHeader.Picture picture = PictureCheck.of(bomb).orElseThrow();
        assertThat(picture.width()).isEqualTo(50_000);
        assertThat(PictureCheck.fitsShowing(picture)).isFalse();
        assertThat(new Attachment("bomb.png", png.length, "image/png", 50_000, 50_000, false, null, null)
                        .showsAsPicture())
                .isFalse();
        assertThat(new Attachment("ok.png", png.length, "image/png", 5_000, 5_000, false, null, null).showsAsPicture())
                .isTrue();
        assertThat(new Attachment("gone.png", png.length, "image/png", 10, 10, true, null, null).showsAsPicture())
                .isFalse();
    }

    @Test
    void pastedPicturesOlderThanADayAreForgottenAndNewerOnesKept() throws Exception {
        Path pasted = dir.resolve("pasted");
        Path old = Files.createDirectories(pasted.resolve("old"));
        Files.write(old.resolve("Pasted picture.png"), new byte[] {1});
        Files.setLastModifiedTime(
                old,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(90_000)));
        Path recent = Files.createDirectories(pasted.resolve("recent"));
        Files.write(recent.resolve("Pasted picture.png"), new byte[] {2});

        FileSharing.forgetOldPastes(pasted, java.time.Instant.now().minusSeconds(86_400));

        assertThat(old).doesNotExist();
        assertThat(recent.resolve("Pasted picture.png")).exists();
        FileSharing.forgetOldPastes(dir.resolve("never-pasted"), java.time.Instant.now());
    }

    @Test
    void progressReadsAsAmountSpeedAndTimeLeft() {
        assertThat(TransferRow.describe(progress(3_200_000, 4_100_000, TransferState.RUNNING, null)))
                .isEqualTo("3.2 MB of 20.0 MB · 4.1 MB/s · 5 s left");
        assertThat(TransferRow.describe(progress(3_200_000, 0, TransferState.RUNNING, null)))
                .isEqualTo("3.2 MB of 20.0 MB");
        assertThat(TransferRow.describe(progress(3_200_000, 0, TransferState.PAUSED, null)))
                .isEqualTo("3.2 MB of 20.0 MB · waiting for the connection");
        assertThat(TransferRow.describe(progress(
                        0, 0, TransferState.FAILED, "the file is 120.0 MB; this host takes files up to 100.0 MB")))
                .isEqualTo("the file is 120.0 MB; this host takes files up to 100.0 MB");
        assertThat(TransferRow.timeLeft(59)).isEqualTo("59 s");
        assertThat(TransferRow.timeLeft(150)).isEqualTo("3 min");
        assertThat(TransferRow.timeLeft(3_900)).isEqualTo("1 h 5 min");
    }

    @Test
    void aFileCardShowsItsTypeAsAShortIcon() {
        assertThat(AttachmentViews.extension("report.pdf")).isEqualTo("PDF");
        assertThat(AttachmentViews.extension("archive.tar.gz")).isEqualTo("GZ");
        assertThat(AttachmentViews.extension("README")).isEqualTo("FILE");
        assertThat(AttachmentViews.extension("x.<b>")).isEqualTo("FILE");
    }

    private static TransferProgress progress(long done, double speed, TransferState state, String error) {
        return new TransferProgress(
                "t1", FileTransfer.Direction.SEND, "big.bin", 20_000_000, done, speed, state, error);
    }

    private static void writeInt(byte[] b, int at, int value) {
        byte[] v = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        System.arraycopy(v, 0, b, at, 4);
        assertThat(Arrays.copyOfRange(b, at, at + 4)).isEqualTo(v);
    }
}
