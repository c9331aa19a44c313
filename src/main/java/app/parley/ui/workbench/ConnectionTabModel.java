package app.parley.ui.workbench;

import app.parley.workbench.ConnectionSpec;
import app.parley.workbench.JsonInput;
import app.parley.workbench.LogEntry;
import app.parley.workbench.LogExport;
import app.parley.workbench.WorkbenchConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.transformation.FilteredList;

/**
 * One tab of the workbench: a {@link WorkbenchConnection}, its log (filtered, searchable,
 * pausable), the emit form, and answers to the server's acks. Used on the FX thread; the
 * connection's entries reach it through {@link LogBuffer}.
 */
public final class ConnectionTabModel {
    /** Which entries the log shows. */
    public enum Show {
        ALL("All"),
        IN("In"),
        OUT("Out"),
        STATE("Connection");

        private final String label;

        Show(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Executor background;
    private final Executor ui;
    private final LogBuffer log;
    private final FilteredList<LogEntry> shown;
    private ConnectionSpec spec;
    private WorkbenchConnection connection;

    // Properties //
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Not connected");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(false);
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<Show> show = new SimpleObjectProperty<>(Show.ALL);
    private final ObjectProperty<LogEntry> selected = new SimpleObjectProperty<>();
    private final StringProperty reply = new SimpleStringProperty("");
    private final EmitForm form = new EmitForm();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    /** The reply ids of the server's events answered so far. */
    private final javafx.collections.ObservableSet<Integer> answered = javafx.collections.FXCollections.observableSet();

    /**
     * @param background where the log is written when exported
     * @param ui         the hop onto the FX thread
     */
    public ConnectionTabModel(ConnectionSpec spec, Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
        this.log = new LogBuffer(ui, this::follow);
        this.shown = new FilteredList<>(log.entries());
        shown.predicateProperty().bind(Bindings.createObjectBinding(this::filter, search, show));
        use(spec);
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }

    /** The log as filtered and searched. */
    public FilteredList<LogEntry> shown() {
        return shown;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObjectProperty<Show> showProperty() {
        return show;
    }

    public BooleanProperty pausedProperty() {
        return log.pausedProperty();
    }

    public javafx.beans.property.ReadOnlyIntegerProperty heldCountProperty() {
        return log.heldCountProperty();
    }

    public ObjectProperty<LogEntry> selectedProperty() {
        return selected;
    }

    /** The emit form. */
    public EmitForm form() {
        return form;
    }

    /** The answer typed for the selected entry's ack. */
    public StringProperty replyProperty() {
        return reply;
    }

    /** The outcome of the last command (an error, or where the log went); empty for none. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ConnectionSpec spec() {
        return spec;
    }

    /** Whether {@code entry} is a server's event that still waits for this side's answer. */
    public boolean waitsForAnswer(LogEntry entry) {
        return entry != null && entry.expectsReply() && !answered.contains(entry.replyId());
    }

    /** The reply ids answered so far; changes when an answer leaves. */
    public javafx.collections.ObservableSet<Integer> answered() {
        return answered;
    }

    // Commands //

    /** Changes what this tab connects to; takes effect at the next {@link #connect()}. */
    public void use(ConnectionSpec next) {
        spec = next;
        title.set(next.name());
    }

    public void connect() {
        if (connection != null) {
            connection.close();
        }
        try {
            connection = WorkbenchConnection.open(spec, log::arrive);
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return;
        }
        status.set("Connecting to " + spec.url() + spec.namespace() + " …");
        message.set("");
        connection.connect();
    }

    public void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        connected.set(false);
        status.set("Not connected");
    }

    /** Sends the event in the form; false (with {@link #messageProperty()} saying why) when it could not. */
    public boolean emit() {
        return attempt(() -> requireConnection().emit(form.eventName(), form.arguments(), form.ackTimeout()), "");
    }

    /** Sends {@code entry} (an event sent before) again, with the form's ack choice. */
    public boolean resend(LogEntry entry) {
        return attempt(() -> requireConnection().resend(entry, form.ackTimeout()), "");
    }

    /** Answers the selected entry's ack with the typed {@link #replyProperty()}. */
    public boolean answer() {
        LogEntry entry = selected.get();
        return attempt(
                () -> {
                    if (entry == null || !entry.expectsReply()) {
                        throw new IllegalArgumentException("Select an event that waits for an answer");
                    }
                    if (!requireConnection().reply(entry.replyId(), JsonInput.arguments(reply.get()))) {
                        throw new IllegalStateException("That event has been answered already");
                    }
                },
                "");
    }

    /** Answers every later {@code eventName} that wants an ack with {@code replyJson} at once. */
    public boolean autoReply(String eventName, String replyJson) {
        String name = eventName == null ? "" : eventName.strip();
        return attempt(
                () -> {
                    if (name.isEmpty()) {
                        throw new IllegalArgumentException("The auto-reply needs an event name");
                    }
                    requireConnection().autoReply(name, JsonInput.arguments(replyJson));
                },
                "Auto-reply to " + name + " is on");
    }

    /** Writes everything collected (held entries included) to {@code file}, off the FX thread. */
    public void export(Path file) {
        List<LogEntry> all = log.everything();
        ConnectionSpec at = spec;
        message.set("Exporting " + all.size() + " entries …");
        background.execute(() -> {
            String outcome;
            try {
                LogExport.write(at, all, file);
                outcome = "Exported " + all.size() + " entries to " + file;
            } catch (java.io.IOException | RuntimeException e) {
                outcome = "Could not export the log: " + e.getMessage();
            }
            String shownOutcome = outcome;
            ui.execute(() -> message.set(shownOutcome));
        });
    }

    public void clearLog() {
        log.clear();
        selected.set(null);
    }

    public void close() {
        disconnect();
    }

    /** Runs {@code command}; its refusal becomes the message a person reads, else {@code done} does. */
    private boolean attempt(Runnable command, String done) {
        try {
            command.run();
            message.set(done);
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            message.set(e.getMessage());
            return false;
        }
    }

    private WorkbenchConnection requireConnection() {
        if (connection == null) {
            throw new IllegalStateException("Not connected");
        }
        return connection;
    }

    private void follow(List<LogEntry> batch) {
        for (LogEntry e : batch) {
            switch (e.kind()) {
                case CONNECT -> {
                    connected.set(e.event().equals("connect"));
                    status.set(
                            e.event().equals("connect")
                                    ? "Connected as " + e.note().replace("connected as ", "")
                                    : "Reconnecting: " + e.note());
                }
                case DISCONNECT -> {
                    connected.set(false);
                    status.set("Disconnected: " + e.note());
                }
                case CONNECT_ERROR -> {
                    connected.set(false);
                    status.set("Refused: " + e.note());
                }
                case ACK_REPLY -> answered.add(e.replyId());
                default -> {
                    // events and acks leave the status as it is
                }
            }
        }
    }

    private Predicate<LogEntry> filter() {
        String needle = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        Show which = show.get();
        return e -> (which == Show.ALL
                        || (which == Show.IN && e.direction() == LogEntry.Direction.IN)
                        || (which == Show.OUT && e.direction() == LogEntry.Direction.OUT)
                        || (which == Show.STATE && e.direction() == LogEntry.Direction.STATE))
                && (needle.isEmpty() || e.searchText().toLowerCase(Locale.ROOT).contains(needle));
    }
}
