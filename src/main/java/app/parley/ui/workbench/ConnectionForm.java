package app.parley.ui.workbench;

import app.parley.workbench.ConnectionSpec;
import app.parley.workbench.JsonInput;
import app.parley.workbench.Transports;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The connection dialog's fields, each JSON field with its problem beside it (empty while fine),
 * turned into a {@link ConnectionSpec}. Numbers are typed as text and checked the same way.
 */
public final class ConnectionForm {
    // Properties //
    final StringProperty name = new SimpleStringProperty();
    final StringProperty url = new SimpleStringProperty();
    final StringProperty namespace = new SimpleStringProperty();
    final StringProperty path = new SimpleStringProperty();
    final StringProperty auth = new SimpleStringProperty();
    final StringProperty headers = new SimpleStringProperty();
    final StringProperty query = new SimpleStringProperty();
    final ObjectProperty<Transports> transports = new SimpleObjectProperty<>(Transports.BOTH);
    final BooleanProperty reconnection = new SimpleBooleanProperty();
    final StringProperty reconnectDelay = new SimpleStringProperty();
    final StringProperty reconnectAttempts = new SimpleStringProperty();
    final StringProperty timeout = new SimpleStringProperty();

    final StringBinding authProblem = problem(auth, Kind.OBJECT);
    final StringBinding headersProblem = problem(headers, Kind.FLAT);
    final StringBinding queryProblem = problem(query, Kind.FLAT);
    /** Every problem of the form, one a line; empty when it can connect. */
    final StringBinding problems = Bindings.createStringBinding(
            () -> String.join("\n", currentProblems()),
            name,
            url,
            namespace,
            path,
            auth,
            headers,
            query,
            reconnectDelay,
            reconnectAttempts,
            timeout);

    final BooleanBinding valid = problems.isEmpty();

    public ConnectionForm(ConnectionSpec spec) {
        load(spec);
    }

    public StringProperty urlProperty() {
        return url;
    }

    public StringProperty authProperty() {
        return auth;
    }

    public StringProperty namespaceProperty() {
        return namespace;
    }

    /** Puts {@code spec}'s values in the fields. */
    public void load(ConnectionSpec spec) {
        name.set(spec.name());
        url.set(spec.url());
        namespace.set(spec.namespace());
        path.set(spec.path());
        auth.set(spec.auth());
        headers.set(spec.headers());
        query.set(spec.query());
        transports.set(spec.transports());
        reconnection.set(spec.reconnection());
        reconnectDelay.set(Long.toString(spec.reconnectDelayMs()));
        reconnectAttempts.set(Integer.toString(spec.reconnectAttempts()));
        timeout.set(Long.toString(spec.timeoutMs()));
    }

    /**
     * The spec the fields describe.
     *
     * @throws IllegalArgumentException with {@link #problems} when they describe none
     */
    public ConnectionSpec toSpec() {
        List<String> wrong = currentProblems();
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", wrong));
        }
        return spec();
    }

    public String problems() {
        return problems.get();
    }

    private List<String> currentProblems() {
        for (var number : List.of(reconnectDelay, reconnectAttempts, timeout)) {
            if (number(number.get()) < 0) {
                return List.of("Delay, attempts and timeout are whole numbers (0 or more)");
            }
        }
        return spec().problems();
    }

    private ConnectionSpec spec() {
        String shownName = name.get() == null || name.get().isBlank()
                ? url.get()
                : name.get().strip();
        return new ConnectionSpec(
                shownName,
                text(url),
                text(namespace).isEmpty() ? "/" : text(namespace),
                text(path).isEmpty() ? "/socket.io" : text(path),
                text(auth),
                text(headers),
                text(query),
                transports.get() == null ? Transports.BOTH : transports.get(),
                reconnection.get(),
                Math.max(0, number(reconnectDelay.get())),
                (int) Math.min(Integer.MAX_VALUE, Math.max(0, number(reconnectAttempts.get()))),
                Math.max(1, number(timeout.get())));
    }

    private static String text(StringProperty p) {
        return p.get() == null ? "" : p.get().strip();
    }

    /** The number typed, or -1 when it is not a whole number of 0 or more. */
    private static long number(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private enum Kind {
        OBJECT,
        FLAT
    }

    private static StringBinding problem(StringProperty field, Kind kind) {
        return Bindings.createStringBinding(
                () -> kind == Kind.OBJECT
                        ? JsonInput.objectProblem(field.get())
                        : JsonInput.flatObjectProblem(field.get()),
                field);
    }
}
