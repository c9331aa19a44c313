package app.parley.ui.chat;

import java.nio.file.Path;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** A picture on its way to being shown: its checked file once it is on disk, or why it will not show. */
public final class PictureSlot {
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    /** The file to load, once fetched and its header checked; null until then. */
    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** Why it will not show (then the line shows a card); empty while all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    void ready(Path checked) {
        file.set(checked);
    }

    void failed(String reason) {
        problem.set(reason == null || reason.isBlank() ? "could not fetch it" : reason);
    }
}
