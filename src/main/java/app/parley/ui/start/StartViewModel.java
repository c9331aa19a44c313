package app.parley.ui.start;

import app.parley.protocol.WireRules;
import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.Identity;
import app.parley.session.SessionFactory;
import app.parley.settings.Settings;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The start screen: host a session or join one by URL. */
public final class StartViewModel {
    private final SessionFactory factory;
    private final Executor background;
    private final Executor ui;
    private final Consumer<ChatSession> onReady;
    private final Settings settings;

    // Properties //
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty port = new SimpleStringProperty("3000");
    private final StringProperty origins = new SimpleStringProperty("http://localhost:8080");
    private final StringProperty joinUrl = new SimpleStringProperty("http://localhost:3000");
    private final StringProperty hostPassword = new SimpleStringProperty("");
    private final javafx.beans.property.BooleanProperty hostSecure =
            new javafx.beans.property.SimpleBooleanProperty(false);
    private final StringProperty joinPassword = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    /**
     * @param background where slow work (binding a port) runs
     * @param ui         the hop back to the UI thread
     * @param onReady    receives the new session, on the UI thread
     * @param settings   the remembered nickname (shown, and saved again on each host or join) and
     *                   this installation's secret user key ({@link Identity#userKey()})
     */
    public StartViewModel(
            SessionFactory factory,
            Executor background,
            Executor ui,
            Consumer<ChatSession> onReady,
            Settings settings) {
        this.factory = factory;
        this.settings = settings;
        this.name.set(settings.nickname());
        this.background = background;
        this.ui = ui;
        this.onReady = onReady;
    }

    /** The nickname to chat as. */
    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty portProperty() {
        return port;
    }

    public StringProperty originsProperty() {
        return origins;
    }

    public StringProperty joinUrlProperty() {
        return joinUrl;
    }

    /** Empty for an open host. */
    /** Host over TLS ({@code https}) with Parley's own certificate. */
    public javafx.beans.property.BooleanProperty hostSecureProperty() {
        return hostSecure;
    }

    public StringProperty hostPasswordProperty() {
        return hostPassword;
    }

    /** Empty when the host needs none. */
    public StringProperty joinPasswordProperty() {
        return joinPassword;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    // Commands //

    /** Hosts on the chosen port as the chosen name; a wrong name or port is explained and starts nothing. */
    public void host() {
        Optional<Identity> identity = identity();
        if (identity.isEmpty()) {
            return;
        }
        int chosenPort;
        try {
            chosenPort = Integer.parseInt(port.get().strip());
            if (chosenPort < 1 || chosenPort > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            error.set("The port must be a number from 1 to 65535.");
            return;
        }
        Set<String> allowed = new LinkedHashSet<>();
        Arrays.stream(origins.get().split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(allowed::add);
        String password = hostPassword.get();
        boolean secure = hostSecure.get();
        Identity me = identity.get();
        start(() -> factory.host(chosenPort, allowed, password, secure, me, Advertising.OFF));
    }

    /** Joins the typed address as the chosen name; a wrong name is explained and starts nothing. */
    public void join() {
        Optional<Identity> identity = identity();
        if (identity.isEmpty()) {
            return;
        }
        String typed = joinUrl.get();
        String password = joinPassword.get();
        Identity me = identity.get();
        start(() -> factory.join(typed, password, me));
    }

    /**
     * The typed name, trimmed and NFC-normalised (what a person types may be decomposed), checked
     * by the same rule hosts apply, and remembered for next time; empty, with the reason shown,
     * when it would be refused.
     */
    private Optional<Identity> identity() {
        String typed = name.get() == null ? "" : name.get().strip();
        String chosen = Normalizer.normalize(typed, Normalizer.Form.NFC);
        Optional<String> problem = WireRules.checkNickname(chosen);
        if (problem.isPresent()) {
            // "Nickname is empty." reads as a sentence whichever word the rule uses.
            String reason = problem.get();
            error.set(Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + ".");
            return Optional.empty();
        }
        if (!chosen.equals(name.get())) {
            name.set(chosen);
        }
        settings.setNickname(chosen);
        return Optional.of(new Identity(chosen, settings.userKey()));
    }

    /** Shows why the last attempt ended (the chat screen sends people back here with it). */
    public void showError(String message) {
        error.set(message);
    }

    private void start(Supplier<ChatSession> creation) {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        error.set("");
        CompletableFuture.supplyAsync(creation, background)
                .whenComplete((session, failure) -> ui.execute(() -> {
                    busy.set(false);
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        error.set(cause.getMessage());
                    } else {
                        onReady.accept(session);
                    }
                }));
    }
}
