package app.parley.ui.chat;

import app.parley.protocol.FileNames;
import app.parley.ui.lines.Attachment;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * What a line carrying a file shows: a picture as a thumbnail (fetched into the cache, its header
 * checked, decoded in the background at thumbnail size; a click opens it full size), anything
 * else as a card with name, size, type and Save…. Names are shown as plain text in labels.
 */
final class AttachmentViews {
    static final double THUMB_WIDTH = 320;
    static final double THUMB_HEIGHT = 240;
    /** Decoded thumbnails kept for cells scrolling back into view: at most 320 × 240 × 4 bytes each. */
    private static final int THUMBS_KEPT = 48;

    private final ChatViewModel model;
    private final Map<Path, Image> thumbs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Image> eldest) {
            return size() > THUMBS_KEPT;
        }
    };

    AttachmentViews(ChatViewModel model) {
        this.model = model;
    }

    /** The node for {@code file}, new each time: a cell keeps it while it shows the same file. */
    Node of(Attachment file) {
        return file.showsAsPicture() ? picture(file) : card(file, null);
    }

    private Node picture(Attachment file) {
        double scale = Math.min(1, Math.min(THUMB_WIDTH / file.width(), THUMB_HEIGHT / file.height()));
        double width = Math.max(24, Math.round(file.width() * scale));
        double height = Math.max(24, Math.round(file.height() * scale));
        Label waiting = new Label("Loading picture…");
        waiting.getStyleClass().add("muted");
        StackPane frame = new StackPane(waiting);
        frame.getStyleClass().add("picture-frame");
        // The frame has the picture's size from the start, so the line does not jump when it loads.
        frame.setMinSize(width, height);
        frame.setPrefSize(width, height);
        frame.setMaxSize(width, height);
        HBox holder = new HBox(frame);
        holder.getStyleClass().add("attachment");
        PictureSlot slot = model.picture(file);
        InvalidationListener update = o -> {
            if (!slot.problemProperty().get().isEmpty()) {
                holder.getChildren().setAll(card(file, slot.problemProperty().get()));
            } else if (slot.fileProperty().get() != null && frame.getChildren().get(0) == waiting) {
                show(frame, holder, file, slot.fileProperty().get(), width, height);
            }
        };
        // Held by the holder, weakly by the slot: a discarded cell's node does not stay listening.
        holder.getProperties().put(InvalidationListener.class, update);
        slot.fileProperty().addListener(new WeakInvalidationListener(update));
        slot.problemProperty().addListener(new WeakInvalidationListener(update));
        update.invalidated(null);
        return holder;
    }

    private void show(StackPane frame, HBox holder, Attachment file, Path checked, double width, double height) {
        Image image = thumbs.computeIfAbsent(
                checked, path -> new Image(path.toUri().toString(), THUMB_WIDTH, THUMB_HEIGHT, true, true, true));
        if (image.isError()) {
            thumbs.remove(checked);
            holder.getChildren().setAll(card(file, "could not show this picture"));
            return;
        }
        image.errorProperty().addListener((obs, was, failed) -> {
            if (failed) {
                thumbs.remove(checked);
                holder.getChildren().setAll(card(file, "could not show this picture"));
            }
        });
        ImageView view = new ImageView(image);
        view.setId("picture-" + (file.sha256() == null ? "sent" : file.sha256().substring(0, 12)));
        view.getStyleClass().add("thumbnail");
        view.setFitWidth(width);
        view.setFitHeight(height);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.setAccessibleText(file.name());
        frame.getChildren().setAll(view);
        frame.setOnMouseClicked(
                e -> openFull(frame.getScene() == null ? null : frame.getScene().getWindow(), file, checked));
        frame.getStyleClass().add("clickable");
    }

    /** A picture full size, scaled down to fit the screen, in a window of its own; Escape closes it. */
    private static void openFull(Window owner, Attachment file, Path checked) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double maxWidth = screen.getWidth() * 0.9;
        double maxHeight = screen.getHeight() * 0.9;
        Image image = new Image(checked.toUri().toString(), maxWidth, maxHeight, true, true, true);
        ImageView view = new ImageView(image);
        view.setPreserveRatio(true);
        double scale = Math.min(1, Math.min(maxWidth / file.width(), maxHeight / file.height()));
        StackPane root = new StackPane(view);
        root.getStyleClass().add("picture-window");
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle(file.name());
        Scene scene = new Scene(root, Math.max(200, file.width() * scale), Math.max(150, file.height() * scale));
        view.fitWidthProperty().bind(scene.widthProperty());
        view.fitHeightProperty().bind(scene.heightProperty());
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                stage.close();
            }
        });
        stage.setScene(scene);
        stage.show();
    }

    /** Icon, name, size and type, and Save… (or why it cannot be had). */
    private Node card(Attachment file, String problem) {
        Label icon = new Label(extension(file.name()));
        icon.getStyleClass().add("file-icon");
        icon.setMinWidth(Label.USE_PREF_SIZE);
        Label name = new Label(file.name());
        name.getStyleClass().add("file-name");
        Label about = new Label(file.readableSize() + " · " + file.type());
        about.getStyleClass().add("file-about");
        VBox words = new VBox(name, about);
        HBox.setHgrow(words, Priority.ALWAYS);
        HBox card = new HBox(icon, words);
        card.getStyleClass().addAll("attachment", "file-card");
        card.setAlignment(Pos.CENTER_LEFT);
        card.setMaxWidth(420);
        if (file.expired()) {
            Label gone = new Label("expired on the host");
            gone.getStyleClass().add("file-expired");
            words.getChildren().add(gone);
        } else if (file.message() != null) {
            Button save = new Button("Save…");
            save.getStyleClass().add("save-file");
            save.setFocusTraversable(false); // the composer keeps the focus
            save.setMinWidth(Button.USE_PREF_SIZE);
            save.setOnAction(
                    e -> save(card.getScene() == null ? null : card.getScene().getWindow(), file));
            card.getChildren().add(save);
        }
        if (problem != null && !problem.isEmpty() && !"not fetched".equals(problem)) {
            Label why = new Label(problem);
            why.getStyleClass().add("file-problem");
            words.getChildren().add(why);
        }
        return card;
    }

    private void save(Window owner, Attachment file) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save " + file.name());
        chooser.setInitialFileName(FileNames.forSaving(file.name()));
        File chosen = chooser.showSaveDialog(owner);
        if (chosen != null) {
            model.saveFile(file, chosen.toPath());
        }
    }

    /** "PDF" for report.pdf: a type the eye finds faster than a MIME type. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && dot < name.length() - 1 ? name.substring(dot + 1) : "";
        return ext.isEmpty() || ext.length() > 4 || !ext.chars().allMatch(Character::isLetterOrDigit)
                ? "FILE"
                : ext.toUpperCase(Locale.ROOT);
    }
}
