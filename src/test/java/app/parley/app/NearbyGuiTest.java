package app.parley.app;

import static app.parley.app.AppGui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import app.parley.session.SessionFactory;
import app.parley.settings.RecentSession;
import app.parley.settings.Settings;
import app.parley.testing.NearbyFeed;
import app.parley.testing.RawClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * "Sessions nearby" on the real window, headless (TestFX + Monocle, as {@link ParleyGuiTest}):
 * the app's own factory joins a real host on 127.0.0.1; only browsing is a {@link NearbyFeed},
 * since multicast is the discovery code's to test.
 */
class NearbyGuiTest extends FxRobot {
    @TempDir
    Path dir;

    private static final RecentSession OLD = new RecentSession("http://192.0.2.99:3000", "Old session");

    private final List<NearbyFeed> feeds = new CopyOnWriteArrayList<>();
    private Application app;
    private HostServer host;

    @BeforeEach
    void launch() throws Exception {
        FxToolkit.registerPrimaryStage();
        ParleyApp.options = LaunchOptions.parse();
        ParleyApp.settingsFile = dir.resolve(Settings.FILE_NAME);
        // Joined in an earlier run (a documentation address: nothing answers there).
        Settings.load(ParleyApp.settingsFile).rememberJoined(OLD);
        ParleyApp.factoryWrapper = BrowsingWithFeeds::new;
        app = FxToolkit.setupApplication(ParleyApp::new);
        host = new HostServer(HostConfig.loopback(Set.of()));
        host.start();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        ParleyApp.settingsFile = null;
        ParleyApp.factoryWrapper = java.util.function.UnaryOperator.identity();
        host.close();
        assertThat(feeds).allMatch(NearbyFeed::isClosed);
    }

    @Test
    void anEmptyListSaysSoInWords() throws Exception {
        waitUntil(() -> !feeds.isEmpty());
        Label placeholder = lookup("#nearby-empty").queryAs(Label.class);
        assertThat(placeholder.getText()).isEqualTo("No sessions found on this network");
        assertThat(placeholder.isVisible()).isTrue();
        assertThat(showingWindows()).as("no error dialog").isEqualTo(1);
    }

    @Test
    void aFoundSessionShowsWithItsIconsAndDoubleClickJoinsIt() throws Exception {
        NearbyFeed feed = browsing();
        feed.emit(new NearbyEvent.Found(at("Design review")));
        feed.emit(new NearbyEvent.Found(
                new NearbySession("other", "Locked & secure", "192.0.2.7", 3443, true, "AB:CD", true, false, "0.1.0")));
        waitUntil(() -> nearby().getItems().size() == 2);

        Shown secured = shown("Locked & secure");
        assertThat(secured.lock()).isTrue();
        assertThat(secured.shield()).isTrue();
        assertThat(secured.spoken())
                .isEqualTo("Locked & secure, https://192.0.2.7:3443, needs a password, secure, TLS");
        Shown open = shown("Design review");
        assertThat(open.lock()).isFalse();
        assertThat(open.shield()).isFalse();
        assertThat(open.address()).isEqualTo("http://127.0.0.1:" + host.port());

        doubleClickOn(row("Design review"));

        joined(feed);
    }

    @Test
    void enterOnTheSelectedRowJoinsIt() throws Exception {
        NearbyFeed feed = browsing();
        feed.emit(new NearbyEvent.Found(at("Design review")));
        waitUntil(() -> nearby().getItems().size() == 1);

        clickOn(row("Design review"));
        assertThat(nearby().getSelectionModel().getSelectedItem().name()).isEqualTo("Design review");
        type(KeyCode.ENTER);

        joined(feed);
    }

    @Test
    void aRecentSessionJoinsAgainWithOneClickAndTheCrossForgetsOne() throws Exception {
        NearbyFeed feed = browsing();
        feed.emit(new NearbyEvent.Found(at("Design review")));
        doubleClickOn(row("Design review"));
        joined(feed);
        clickOn("#leave-button");

        // Back on the start screen, browsing anew; the session it joined is in Recent.
        waitUntil(() -> feeds.size() == 2 && lookup("#recent-list").tryQuery().isPresent());
        ListView<RecentSession> recent = lookup("#recent-list").queryListView();
        waitUntil(() -> recent.getItems().size() == 2);
        String before = host.connectedIds().toString();
        clickOn(recentRow("Design review"));

        waitUntil(() -> AppGui.myIdText(this).startsWith("You connected with id: "));
        String myId = AppGui.myIdText(this).substring("You connected with id: ".length());
        waitUntil(() -> host.connectedIds().contains(myId));
        assertThat(before).doesNotContain(myId);
        clickOn("#leave-button");

        waitUntil(() -> feeds.size() == 3 && lookup("#recent-list").tryQuery().isPresent());
        ListView<RecentSession> again = lookup("#recent-list").queryListView();
        waitUntil(() -> again.getItems().size() == 2);
        // The row under the pointer shows the next session once this one is gone: still no join.
        clickOn(recentRow("Design review").lookup(".remove-recent"));
        // A join would have started within the click: the screen is busy (disabled) from then on.
        assertThat(lookup("#join-button").query().isDisabled())
                .as("the cross joins nothing")
                .isFalse();
        waitUntil(() -> again.getItems().equals(List.of(OLD)));
        assertThat(Settings.load(dir.resolve(Settings.FILE_NAME)).recentSessions())
                .containsExactly(OLD);
    }

    private Node recentRow(String name) throws TimeoutException {
        java.util.function.Supplier<org.testfx.service.query.NodeQuery> query = () -> lookup(".list-cell")
                .match(cell -> cell instanceof ListCell<?> c
                        && c.getItem() instanceof RecentSession r
                        && r.name().equals(name)
                        && c.lookup(".entry-name") instanceof Label shown
                        && shown.getText().equals(name));
        return firstFound(query);
    }

    /** The chat window shows our id, the host counts us in, browsing has ended, and the join is remembered. */
    private void joined(NearbyFeed feed) throws Exception {
        waitUntil(() -> AppGui.myIdText(this).startsWith("You connected with id: "));
        String myId = AppGui.myIdText(this).substring("You connected with id: ".length());
        waitUntil(() -> host.connectedIds().contains(myId));
        assertThat(feed.awaitClosed(RawClient.WAIT_SECONDS)).isTrue();
        assertThat(Settings.load(dir.resolve(Settings.FILE_NAME)).recentSessions())
                .extracting(r -> r.name())
                .containsExactly("Design review", OLD.name());
    }

    private NearbySession at(String name) {
        return new NearbySession("k-" + name, name, "127.0.0.1", host.port(), false, "", false, true, "0.1.0");
    }

    private NearbyFeed browsing() throws Exception {
        waitUntil(() -> !feeds.isEmpty());
        NearbyFeed feed = feeds.get(0);
        assertThat(feed.awaitStarted(RawClient.WAIT_SECONDS)).isTrue();
        return feed;
    }

    private ListView<NearbySession> nearby() {
        return lookup("#nearby-list").queryListView();
    }

    /**
     * The row showing {@code name}, once the list has drawn it: the item reaches the cell first,
     * its graphic joins the cell's children at the next layout.
     */
    private Node row(String name) throws TimeoutException {
        return firstFound(() -> rowQuery(name));
    }

    /**
     * The node the query finds first, kept from that very lookup: a list may lay its cells out
     * again between two lookups and hand the row to another cell.
     */
    private Node firstFound(java.util.function.Supplier<org.testfx.service.query.NodeQuery> query)
            throws TimeoutException {
        java.util.concurrent.atomic.AtomicReference<Node> found = new java.util.concurrent.atomic.AtomicReference<>();
        waitUntil(() -> {
            query.get().tryQuery().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    private org.testfx.service.query.NodeQuery rowQuery(String name) {
        return lookup(".list-cell")
                .match(cell -> cell instanceof ListCell<?> c
                        && c.getItem() instanceof NearbySession s
                        && s.name().equals(name)
                        && c.lookup(".entry-name") instanceof Label shown
                        && shown.getText().equals(name));
    }

    /** What a row shows, as the list laid it out at one moment. */
    private record Shown(boolean lock, boolean shield, String spoken, String address) {}

    /**
     * Reads the row of {@code name} on the FX thread, in one go: read bit by bit from here, a cell
     * the list lays out again in between shows another row (or none) halfway through.
     */
    private Shown shown(String name) throws TimeoutException {
        java.util.concurrent.atomic.AtomicReference<Shown> seen = new java.util.concurrent.atomic.AtomicReference<>();
        waitUntil(() -> {
            try {
                seen.set(org.testfx.util.WaitForAsyncUtils.asyncFx(() -> rowQuery(name)
                                .tryQuery()
                                .map(row -> new Shown(
                                        row.lookup(".lock-icon").isVisible(),
                                        row.lookup(".shield-icon").isVisible(),
                                        row.getAccessibleText(),
                                        labelIn(row, ".entry-address")))
                                .orElse(null))
                        .get());
            } catch (Exception e) {
                return false;
            }
            return seen.get() != null;
        });
        return seen.get();
    }

    private static String labelIn(Node row, String styleClass) {
        return ((Label) row.lookup(styleClass)).getText();
    }

    private static long showingWindows() {
        return javafx.stage.Window.getWindows().stream()
                .filter(javafx.stage.Window::isShowing)
                .count();
    }

    /** The app's own factory, browsing with a feed the test announces into. */
    private final class BrowsingWithFeeds implements SessionFactory {
        private final SessionFactory real;

        BrowsingWithFeeds(SessionFactory real) {
            this.real = real;
        }

        @Override
        public HostedSession host(
                int port, Set<String> origins, String password, boolean secure, Identity identity, Advertising ad) {
            return real.host(port, origins, password, secure, identity, ad);
        }

        @Override
        public ChatSession join(String typedAddress, String password, Identity identity) {
            return real.join(typedAddress, password, identity);
        }

        @Override
        public ChatSession join(NearbySession nearby, String password, Identity identity) {
            return real.join(nearby, password, identity);
        }

        @Override
        public NearbySessions nearby() {
            NearbyFeed feed = new NearbyFeed();
            feeds.add(feed);
            return feed;
        }
    }
}
