package app.parley.ui.workbench;

import app.parley.workbench.JsonInput;
import app.parley.workbench.LogEntry;
import app.parley.workbench.Payloads;
import app.parley.workbench.SavedEmitter;
import java.time.Duration;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The emit form of a connection tab: the event, its arguments as comma-separated JSON (with the
 * problem while they do not parse), and whether to ask for an ack and how long to wait.
 */
public final class EmitForm {
    // Properties //
    private final StringProperty event = new SimpleStringProperty("");
    private final StringProperty args = new SimpleStringProperty("");
    private final BooleanProperty ack = new SimpleBooleanProperty(true);
    private final StringProperty ackTimeout = new SimpleStringProperty("5000");
    private final StringBinding argsProblem =
            Bindings.createStringBinding(() -> JsonInput.argumentsProblem(args.get()), args);

    public StringProperty eventProperty() {
        return event;
    }

    /** The arguments, comma-separated JSON. */
    public StringProperty argsProperty() {
        return args;
    }

    /** Empty while the arguments parse. */
    public StringBinding argsProblemProperty() {
        return argsProblem;
    }

    public BooleanProperty ackProperty() {
        return ack;
    }

    /** In milliseconds, as typed. */
    public StringProperty ackTimeoutProperty() {
        return ackTimeout;
    }

    // Commands //

    /** Puts {@code entry}'s event and arguments in the form, to change before sending. */
    public void copyFrom(LogEntry entry) {
        event.set(entry.event());
        args.set(entry.args().isEmpty() ? "" : Payloads.compactForInput(entry.args()));
    }

    public void use(SavedEmitter emitter) {
        event.set(emitter.event());
        args.set(emitter.args());
        ack.set(emitter.ack());
        ackTimeout.set(Long.toString(emitter.ackTimeoutMs()));
    }

    /**
     * The form as an emitter to keep, named {@code name}, or when that is blank after what it sends
     * ({@code event(arguments)}, cut to 48 characters), so two emitters of one event both stay.
     */
    public SavedEmitter toSaved(String name) {
        String shown = event.get().strip();
        String typed = args.get() == null ? "" : args.get().strip().replaceAll("\\s+", " ");
        String named = typed.isEmpty() ? shown : shown + "(" + typed + ")";
        if (named.length() > 48) {
            named = named.substring(0, 47) + "…";
        }
        return new SavedEmitter(
                name == null || name.isBlank() ? named : name.strip(),
                shown,
                args.get(),
                ack.get(),
                Math.max(1, parseTimeout()));
    }

    String eventName() {
        return event.get().strip();
    }

    /** @throws IllegalArgumentException saying where the JSON is wrong */
    List<Object> arguments() {
        return JsonInput.arguments(args.get());
    }

    /**
     * The ack's timeout, or null when no ack is asked for.
     *
     * @throws IllegalArgumentException when the timeout is not a positive number
     */
    Duration ackTimeout() {
        if (!ack.get()) {
            return null;
        }
        long millis = parseTimeout();
        if (millis <= 0) {
            throw new IllegalArgumentException("The ack timeout is a number of milliseconds, e.g. 5000");
        }
        return Duration.ofMillis(millis);
    }

    private long parseTimeout() {
        try {
            return Long.parseLong(ackTimeout.get().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
