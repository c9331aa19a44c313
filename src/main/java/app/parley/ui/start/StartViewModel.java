package app.parley.ui.start;

import app.parley.protocol.WireRules;
import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.Identity;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import app.parley.session.SessionEvent;
import app.parley.session.SessionFactory;
import app.parley.settings.RecentSession;
import app.parley.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start screen: host a session (announced on the network or not), or join one found on the
 * network, joined before, or typed in. Used on the FX thread; what the network finds arrives
 * through the {@code ui} executor, the app's one hop onto it.
 */
public final class StartViewModel {
    /** DNS-SD's limit for an instance name (RFC 6763, 4.1.1), in UTF-8 bytes. */
    static final int MAX_SESSION_NAME_BYTES = 63;

    private static final Logger LOG = LoggerFactory.getLogger(StartViewModel.class);

    private final SessionFactory factory;
    private final Executor background;
    private final Executor ui;
    private final Consumer<ChatSession> onReady;
    private final Settings settings;
    private final NearbyRows nearby = new NearbyRows();
    private final RecentRows recent;
    private Runnable openWorkbench = () -> {};
    /** The browsing under way while this screen shows, else null; FX thread only. */
    private NearbySessions browsing;

    // Properties //
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty port = new SimpleStringProperty("3000");
    private final StringProperty origins = new SimpleStringProperty("http://localhost:8080");
    private final StringProperty joinUrl = new SimpleStringProperty("http://localhost:3000");
    private final StringProperty hostPassword = new SimpleStringProperty("");
    private final BooleanProperty hostSecure = new SimpleBooleanProperty(false);
    private final BooleanProperty advertise = new SimpleBooleanProperty(true);
    private final StringProperty sessionName = new SimpleStringProperty("");
    private final StringProperty joinPassword = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    /**
     * @param background where slow work (binding a port) runs
     * @param ui         the hop back to the UI thread
     * @param onReady    receives the new session, on the UI thread
     * @param settings   the remembered nickname (shown, and saved again on each host or join),
     *                   announcing choices, recent sessions, and this installation's secret user
     *                   key ({@link Identity#userKey()})
     */
    public StartViewModel(
            SessionFactory factory,
            Executor background,
            Executor ui,
            Consumer<ChatSession> onReady,
            Settings settings) {
        this.factory = factory;
        this.settings = settings;
        this.recent = new RecentRows(settings);
        this.name.set(settings.nickname());
        this.background = background;
        this.ui = ui;
        this.onReady = onReady;
        advertise.set(settings.advertise());
        advertise.addListener((o, was, now) -> settings.setAdvertise(now));
        sessionName.set(settings.sessionName().isEmpty() ? settings.nickname() : settings.sessionName());
        // Until the person gives the session a name of its own, it follows theirs.
        name.addListener((o, was, now) -> {
            if (Objects.equals(sessionName.get(), was)) {
                sessionName.set(now);
            }
        });
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

    /** Host over TLS ({@code https}) with Parley's own certificate. */
    public BooleanProperty hostSecureProperty() {
        return hostSecure;
    }

    /** Empty for an open host. */
    public StringProperty hostPasswordProperty() {
        return hostPassword;
    }

    /** "Let others on this network find this session"; remembered as soon as it changes. */
    public BooleanProperty advertiseProperty() {
        return advertise;
    }

    /** What others see in their list when this host is announced; blank for the person's name. */
    public StringProperty sessionNameProperty() {
        return sessionName;
    }

    /** Sessions found on the network while this screen shows, sorted by name. */
    public ObservableList<NearbySession> nearbySessions() {
        return nearby.rows();
    }

    /** Sessions joined before, most recent first. */
    public ObservableList<RecentSession> recentSessions() {
        return recent.rows();
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

    /** What {@link #openWorkbench()} does: the app opens the Socket.IO workbench window. */
    public void onOpenWorkbench(Runnable open) {
        openWorkbench = Objects.requireNonNull(open, "open");
    }

    /** Opens the Socket.IO workbench, a window of its own for testing any Socket.IO server. */
    public void openWorkbench() {
        openWorkbench.run();
    }

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
        Identity me = identity.get();
        Optional<Advertising> advertising = advertising(me);
        if (advertising.isEmpty()) {
            return;
        }
        Set<String> allowed = new LinkedHashSet<>();
        Arrays.stream(origins.get().split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(allowed::add);
        String password = hostPassword.get();
        boolean secure = hostSecure.get();
        Advertising announce = advertising.get();
        start(() -> factory.host(chosenPort, allowed, password, secure, me, announce), null);
    }

    /** Joins the typed address as the chosen name; a wrong name is explained and starts nothing. */
    public void join() {
        joinAddress(joinUrl.get(), null);
    }

    /**
     * Joins a session found on the network, with the password typed under "Password" (asked for
     * first when the session says it needs one). The address goes to the top of the recent list.
     */
    public void joinNearby(NearbySession session) {
        Optional<Identity> identity = identity();
        if (identity.isEmpty()) {
            return;
        }
        String password = joinPassword.get();
        if (session.password() && password.isEmpty()) {
            error.set("\u201C" + session.name() + "\u201D needs a password: type it under Password, then join again.");
            return;
        }
        Identity me = identity.get();
        start(
                () -> factory.join(session, password, me),
                joined -> new RecentSession(session.address(), session.name()));
    }

    /**
     * Joins a session from the recent list again: through its advertisement when it is on the
     * network now (so a TLS host's announced fingerprint is checked), else by its address.
     */
    public void joinRecent(RecentSession session) {
        Optional<NearbySession> found = nearby.atAddress(session.address());
        if (found.isPresent()) {
            joinNearby(found.get());
        } else {
            joinAddress(session.address(), session.name());
        }
    }

    /** Takes a session off the recent list, for good. */
    public void removeRecent(RecentSession session) {
        recent.forget(session);
    }

    /**
     * Starts listing the sessions on the network (the start screen calls it when it shows). Each
     * call browses anew; {@link #stopBrowsing()} ends it.
     */
    public void startBrowsing() {
        if (browsing != null) {
            return;
        }
        NearbySessions sessions = factory.nearby();
        browsing = sessions;
        try {
            // Events come on a discovery thread; a late one, after stopBrowsing, is dropped.
            sessions.start(event -> ui.execute(() -> {
                if (browsing == sessions) {
                    nearby.apply(event);
                }
            }));
        } catch (RuntimeException e) {
            // Finding nothing is an answer the screen already shows; no dialog for it.
            LOG.warn("Could not look for sessions on the network: {}", e.toString());
        }
    }

    /** Stops browsing and closes it off the FX thread (closing may wait for the network). */
    public void stopBrowsing() {
        NearbySessions sessions = browsing;
        if (sessions == null) {
            return;
        }
        browsing = null;
        background.execute(sessions::close);
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
            error.set(sentence(problem.get()));
            return Optional.empty();
        }
        if (!chosen.equals(name.get())) {
            name.set(chosen);
        }
        settings.setNickname(chosen);
        return Optional.of(new Identity(chosen, settings.userKey()));
    }

    /**
     * What hosting announces: the session name (blank for the person's own), held to the rules
     * for nicknames and to DNS-SD's length, and remembered; empty, with the reason shown, when
     * announcing is on and the name would not do.
     */
    private Optional<Advertising> advertising(Identity me) {
        String typed = sessionName.get() == null ? "" : sessionName.get().strip();
        String chosen = typed.isEmpty() ? me.name() : Normalizer.normalize(typed, Normalizer.Form.NFC);
        Optional<String> problem = WireRules.checkNickname(chosen)
                .map(reason -> "session " + reason)
                .or(() -> chosen.getBytes(StandardCharsets.UTF_8).length > MAX_SESSION_NAME_BYTES
                        ? Optional.of("session name is too long to announce: at most " + MAX_SESSION_NAME_BYTES
                                + " bytes of UTF-8 (about 21 characters in Chinese or Japanese)")
                        : Optional.empty());
        if (problem.isPresent()) {
            if (!advertise.get()) {
                return Optional.of(Advertising.OFF);
            }
            error.set(sentence(problem.get()));
            return Optional.empty();
        }
        // Stored empty while it is the person's own name, so a later rename carries it along.
        settings.setSessionName(chosen.equals(me.name()) ? "" : chosen);
        return Optional.of(advertise.get() ? new Advertising(true, chosen) : Advertising.OFF);
    }

    /** "Nickname is empty." reads as a sentence whichever word the rule uses. */
    private static String sentence(String reason) {
        return Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + ".";
    }

    /** Shows why the last attempt ended (the chat screen sends people back here with it). */
    public void showError(String message) {
        error.set(message);
    }

    /**
     * Joins {@code address}; once connected it goes to the top of the recent list, under
     * {@code knownName}, else the name of the session found at that address, else the name it
     * had in the list before.
     */
    private void joinAddress(String address, String knownName) {
        Optional<Identity> identity = identity();
        if (identity.isEmpty()) {
            return;
        }
        String password = joinPassword.get();
        Identity me = identity.get();
        start(() -> factory.join(address, password, me), joined -> {
            String endpoint = joined.endpoint();
            String shownAs = Optional.ofNullable(knownName)
                    .or(() -> nearby.atAddress(endpoint).map(NearbySession::name))
                    .or(() -> recent.nameOf(endpoint))
                    .orElse("");
            return new RecentSession(endpoint, shownAs);
        });
    }

    /**
     * Creates the session off the FX thread, then hands it on; {@code remember} (null when
     * hosting) names the entry the recent list gets for it.
     */
    private void start(Supplier<ChatSession> creation, Function<ChatSession, RecentSession> remember) {
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
                        return;
                    }
                    if (remember != null) {
                        rememberOnceConnected(session, remember.apply(session));
                    }
                    onReady.accept(session);
                }));
    }

    /**
     * Puts {@code entry} at the top of the recent list once the session first connects, as chat
     * apps keep only the workspaces one got into: a mistyped address, or a host that is gone,
     * stays out of the list.
     */
    private void rememberOnceConnected(ChatSession session, RecentSession entry) {
        AtomicBoolean done = new AtomicBoolean();
        session.addListener(event -> {
            if (event instanceof SessionEvent.Connected && done.compareAndSet(false, true)) {
                ui.execute(() -> recent.remember(entry));
            }
        });
    }
}
