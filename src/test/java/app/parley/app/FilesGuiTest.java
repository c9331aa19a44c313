package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import app.parley.ui.chat.ChatView;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.application.Application;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javax.imageio.ImageIO;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Files in the real window, headless (TestFX + Monocle), with the real host and a real
 * socket.io-client-java peer over loopback: a dropped picture goes up with a progress row and
 * shows as a thumbnail; a peer's picture is fetched and shown, a peer's other file is a card with
 * Save…. With {@code -Dparley.filesScreenshot=<png>} it also saves the window as it ends.
 */
class FilesGuiTest extends FxRobot {
    @TempDir
    Path dir;

    private Application app;
    private final List<RawClient> peers = new ArrayList<>();

    @BeforeEach
    void launch() throws Exception {
        FxToolkit.registerPrimaryStage();
        ParleyApp.options = LaunchOptions.parse();
        app = FxToolkit.setupApplication(ParleyApp::new);
    }

    @AfterEach
    void close() throws Exception {
        peers.forEach(RawClient::close);
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }

    @Test
    void aDroppedPictureShowsItsProgressThenItsThumbnailAndPeersFilesShowToo() throws Exception {
        int port = hostThroughUi();
        RawClient peer = RawClient.connect(port);
        peers.add(peer);
        peer.awaitId();
        assertThat(peer.request(ChatEvents.SET_NAME, "Ann")[0].toString()).contains("\"ok\":true");

        // Every row the strip shows, however briefly: a small file over loopback is up in milliseconds.
        List<String> rowsSeen = new CopyOnWriteArrayList<>();
        VBox strip = lookup("#transfers").queryAs(VBox.class);
        interact(() -> strip.getChildren().addListener((ListChangeListener<Node>) change -> {
            while (change.next()) {
                for (Node row : change.getAddedSubList()) {
                    if (row.getStyleClass().contains("transfer-row")) {
                        rowsSeen.add(((Label) row.lookup(".transfer-title")).getText());
                    }
                }
            }
        }));

        Path picture = picture("sunset.png", 400, 300);
        drop(List.of(picture.toFile()));

        waitUntil(() -> rowsSeen.contains("Sending sunset.png"));
        waitUntil(() -> loadedThumbnails() >= 1);
        waitUntil(() -> lookup("#transfers").queryAs(VBox.class).getChildren().isEmpty());
        Object[] got = peer.nextMessage();
        JSONObject file = ((JSONObject) got[1]).getJSONObject("file");
        assertThat(file.getString("name")).isEqualTo("sunset.png");
        assertThat(file.getString("sha256")).isEqualTo(sha256(Files.readAllBytes(picture)));
        assertThat(file.getInt("width")).isEqualTo(400);

        // A peer's picture is fetched into the cache and shown; a peer's other file is a card.
        peer.socket().emit(ChatEvents.SEND_MESSAGE, "Lovely! Here is mine, and the notes from Saturday", "");
        upload(peer, "harbour.png", Files.readAllBytes(picture("harbour.png", 240, 320)));
        upload(peer, "notes.txt", "minutes of the meeting\n".repeat(50).getBytes());
        waitUntil(() -> loadedThumbnails() >= 2);
        waitUntil(() -> lookup(".file-card").tryQuery().isPresent());
        Node card = lookup(".file-card").query();
        assertThat(((Label) card.lookup(".file-name")).getText()).isEqualTo("notes.txt");
        assertThat(((Button) card.lookup(".save-file")).getText()).isEqualTo("Save…");
        assertThat(Files.list(DataDir.fileCache().resolve("pictures"))
                        .map(p -> p.getFileName().toString()))
                .allMatch(name -> name.matches("[0-9a-f]{64}(\\.part)?"));

        // A click on a thumbnail opens the picture full size in a window of its own; Escape closes it.
        List<ImageView> thumbnails =
                lookup(".thumbnail").queryAllAs(ImageView.class).stream().toList();
        clickOn(thumbnails.get(thumbnails.size() - 1));
        waitUntil(() -> fullPicture("harbour.png") != null);
        assertThat(((ImageView) fullPicture("harbour.png")
                                .getScene()
                                .getRoot()
                                .getChildrenUnmodifiable()
                                .get(0))
                        .getImage())
                .isNotNull();
        interact(() -> fullPicture("harbour.png").getScene().getRoot().requestFocus());
        push(KeyCode.ESCAPE);
        waitUntil(() -> fullPicture("harbour.png") == null);

        // A file over the host's limit (100 MB by default; sparse, so it costs no disk): its row
        // stays, saying why, until dismissed.
        Path tooBig = dir.resolve("backup.tar");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(tooBig.toFile(), "rw")) {
            sparse.setLength(101_000_000);
        }
        drop(List.of(tooBig.toFile()));
        waitUntil(() -> lookup(".transfer-detail").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().contains("up to 100.0 MB")));

        String screenshot = System.getProperty("parley.filesScreenshot");
        if (screenshot != null) {
            WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
            save(
                    WaitForAsyncUtils.asyncFx(() -> listView().getScene().snapshot(null))
                            .get(5, TimeUnit.SECONDS),
                    Path.of(screenshot));
        }
    }

    @Test
    void ctrlVWithAScreenshotSendsItAsAPngAndTextStillPastesAsText() throws Exception {
        int port = hostThroughUi();
        RawClient peer = RawClient.connect(port);
        peers.add(peer);
        peer.awaitId();

        interact(() -> {
            WritableImage shot = new WritableImage(50, 40);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 50; x++) {
                    shot.getPixelWriter().setArgb(x, y, 0xff000000 | (x * 5) << 16 | (y * 6) << 8 | 0x80);
                }
            }
            ClipboardContent content = new ClipboardContent();
            content.putImage(shot);
            Clipboard.getSystemClipboard().setContent(content);
        });
        clickOn("#message-input").push(KeyCode.SHORTCUT, KeyCode.V);

        JSONObject file = ((JSONObject) peer.nextMessage()[1]).getJSONObject("file");
        assertThat(file.getString("name")).startsWith("Pasted picture").endsWith(".png");
        assertThat(file.getString("type")).isEqualTo("image/png");
        assertThat(file.getInt("width")).isEqualTo(50);
        assertThat(file.getInt("height")).isEqualTo(40);
        waitUntil(() -> loadedThumbnails() >= 1);
        assertThat(lookup("#message-input").queryAs(TextArea.class).getText()).isEmpty();

        interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putString("plain words");
            Clipboard.getSystemClipboard().setContent(content);
        });
        clickOn("#message-input").push(KeyCode.SHORTCUT, KeyCode.V);
        waitUntil(
                () -> lookup("#message-input").queryAs(TextArea.class).getText().equals("plain words"));
    }

    private javafx.stage.Stage fullPicture(String title) {
        return listWindows().stream()
                .filter(w -> w instanceof javafx.stage.Stage stage && title.equals(stage.getTitle()) && w.isShowing())
                .map(javafx.stage.Stage.class::cast)
                .findFirst()
                .orElse(null);
    }

    private void drop(List<File> files) {
        @SuppressWarnings("unchecked")
        Consumer<List<File>> drop =
                (Consumer<List<File>>) listView().getProperties().get(ChatView.DROP_FILES);
        interact(() -> drop.accept(files));
    }

    /** Thumbnails whose picture has loaded. */
    private long loadedThumbnails() {
        return lookup(".thumbnail").queryAllAs(ImageView.class).stream()
                .filter(v -> v.getImage() != null
                        && v.getImage().getProgress() >= 1
                        && !v.getImage().isError()
                        && v.getImage().getWidth() > 0)
                .count();
    }

    /** A peer sends a file as docs/PROTOCOL.md §15.2 says: offer, one chunk, complete. */
    private static void upload(RawClient peer, String name, byte[] bytes) throws Exception {
        JSONObject offer = new JSONObject()
                .put("cid", UUID.randomUUID().toString())
                .put("name", name)
                .put("size", bytes.length)
                .put("sha256", sha256(bytes))
                .put("room", "");
        JSONObject offered = (JSONObject) peer.request(ChatEvents.FILE_OFFER, offer)[0];
        assertThat(offered.getBoolean("ok")).as(offered.toString()).isTrue();
        String upload = offered.getString("upload");
        JSONObject chunk = (JSONObject) peer.request(ChatEvents.FILE_CHUNK, upload, 0, bytes)[0];
        assertThat(chunk.getBoolean("ok")).as(chunk.toString()).isTrue();
        JSONObject complete = (JSONObject) peer.request(ChatEvents.FILE_COMPLETE, upload)[0];
        assertThat(complete.getBoolean("ok")).as(complete.toString()).isTrue();
    }

    /** A picture with something to look at: a gradient. */
    private Path picture(String name, int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / width;
                int b = 255 * y / height;
                image.setRGB(x, y, r << 16 | (120 + (x + y) % 60) << 8 | b);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Files.write(dir.resolve(name), png.toByteArray());
    }

    static void save(WritableImage shot, Path to) throws Exception {
        int width = (int) shot.getWidth();
        int height = (int) shot.getHeight();
        int[] argb = new int[width * height];
        shot.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, width, height, argb, 0, width);
        Files.createDirectories(to.toAbsolutePath().getParent());
        ImageIO.write(image, "png", to.toFile());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private int hostThroughUi() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        clickOn("#host-port").type(KeyCode.END).eraseText(10).write(String.valueOf(port));
        clickOn("#host-button");
        waitUntil(() -> lookup("#my-id")
                .tryQueryAs(Label.class)
                .map(Label::getText)
                .orElse("")
                .startsWith("You connected with id: "));
        return port;
    }

    private ListView<?> listView() {
        return lookup("#conversation").queryListView();
    }

    private static void waitUntil(BooleanSupplier condition) throws TimeoutException {
        // Generous: the GUI tests share a small machine with the rest of the suite.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
