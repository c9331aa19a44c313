package app.parley.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.join.ClientConnection;
import app.parley.join.JoinTarget;
import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import app.parley.session.SessionEvent;
import app.parley.session.SessionException;
import app.parley.session.SessionFactory;
import app.parley.settings.RecentSession;
import app.parley.settings.Settings;
import app.parley.testing.NearbyFeed;
import app.parley.ui.FxPump;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The start screen's nearby and recent lists, with no stage but the real FX thread and the app's
 * one hop onto it ({@link FxPump}): events from a discovery thread, real joins to a real host on
 * 127.0.0.1, and settings on disk.
 */
class NearbySessionsTest {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private final List<NearbyFeed> feeds = new CopyOnWriteArrayList<>();
    private final List<Object> joins = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ChatSession> ready = new LinkedBlockingQueue<>();
    private final List<ChatSession> opened = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-background");
        t.setDaemon(true);
        return t;
    });
    private final FxPump pump = new FxPump();
    private HostServer host;
    /** Hosts started by {@link #anotherHost}, closed after each test. */
    private final List<HostServer> hosts = new ArrayList<>();

    private Settings settings;
    private StartViewModel model;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void create() throws Exception {
        settings = Settings.load(settingsFile());
        settings.setNickname("Maya");
        model = onFx(() -> new StartViewModel(new Factory(), background, pump, ready::add, settings));
    }

    @AfterEach
    void close() throws Exception {
        onFx(() -> {
            model.stopBrowsing();
            return null;
        });
        opened.forEach(ChatSession::close);
        ChatSession left;
        while ((left = ready.poll()) != null) {
            left.close();
        }
        background.shutdown();
        assertThat(background.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        if (host != null) {
            host.close();
        }
        hosts.forEach(HostServer::close);
    }

    @Test
    void foundSessionsAppearOnTheFxThreadSortedByNameUpdateInPlaceAndGo() throws Exception {
        List<Boolean> changedOnFxThread = new CopyOnWriteArrayList<>();
        NearbyFeed feed = startBrowsing();
        onFx(() -> {
            model.nearbySessions().addListener((ListChangeListener<NearbySession>)
                    change -> changedOnFxThread.add(Platform.isFxApplicationThread()));
            return null;
        });

        feed.emit(found("z", "Zed's room", 3001));
        feed.emit(found("a", "ann", 3002));
        feed.emit(found("b", "Bob", 3003));
        waitForNames("ann", "Bob", "Zed's room");

        // Same key: the row is replaced, not added; a new name moves it to its place.
        feed.emit(new NearbyEvent.Found(session("b", "Bob", 4003, true)));
        waitUntil(() -> model.nearbySessions().get(1).port() == 4003);
        assertThat(onFx(() -> model.nearbySessions().get(1).password())).isTrue();
        feed.emit(found("a", "Yvonne", 3002));
        waitForNames("Bob", "Yvonne", "Zed's room");

        feed.emit(new NearbyEvent.Lost("z"));
        feed.emit(new NearbyEvent.Lost("never-seen"));
        waitForNames("Bob", "Yvonne");

        assertThat(changedOnFxThread).isNotEmpty().containsOnly(true);
    }

    @Test
    void browsingStopsWhenAskedClosesOffTheFxThreadAndLaterEventsAreDropped() throws Exception {
        NearbyFeed feed = startBrowsing();
        feed.emit(found("a", "Ann", 3001));
        waitForNames("Ann");

        onFx(() -> {
            model.stopBrowsing();
            return null;
        });
        assertThat(feed.awaitClosed(WAIT_SECONDS)).isTrue();
        assertThat(feed.closedOn()).isEqualTo("test-background");
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> !feed.threadAlive());

        // Showing the screen again browses anew, with a fresh browser.
        NearbyFeed again = startBrowsing();
        assertThat(again).isNotSameAs(feed);
        again.emit(found("b", "Bob", 3002));
        waitForNames("Ann", "Bob");
    }

    @Test
    void anEventAlreadyOnItsWayWhenBrowsingStopsChangesNothing() throws Exception {
        List<Runnable> closes = new CopyOnWriteArrayList<>();
        StartViewModel held = onFx(() -> new StartViewModel(new Factory(), closes::add, pump, ready::add, settings));
        onFx(() -> {
            held.startBrowsing();
            held.stopBrowsing();
            return null;
        });
        NearbyFeed feed = feeds.get(0);
        assertThat(closes).as("closing waits on the background executor").hasSize(1);
        assertThat(feed.isClosed()).isFalse();

        feed.emit(found("a", "Ann", 3001));
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> feed.delivered() == 1);
        CountDownLatch pumped = new CountDownLatch(1);
        pump.execute(pumped::countDown); // runs after the event's own hop: the pump keeps order
        assertThat(pumped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(onFx(() -> List.copyOf(held.nearbySessions()))).isEmpty();

        closes.forEach(Runnable::run);
        assertThat(feed.isClosed()).isTrue();
    }

    @Test
    void joiningFromTheListConnectsForRealAndIsRemembered() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()));
        int port = host.start();
        NearbySession nearby = new NearbySession("k", "Design review", "127.0.0.1", port, false, "", false, true, "");
        NearbyFeed feed = startBrowsing();
        feed.emit(new NearbyEvent.Found(nearby));
        waitForNames("Design review");

        onFx(() -> {
            model.joinNearby(model.nearbySessions().get(0));
            return null;
        });
        ChatSession session = connected(nextReady());

        assertThat(joins).containsExactly(nearby);
        waitUntil(() -> host.connectedIds().contains(session.socketId()));
        RecentSession expected = new RecentSession("http://127.0.0.1:" + port, "Design review");
        waitUntil(() -> !model.recentSessions().isEmpty());
        assertThat(onFx(() -> List.copyOf(model.recentSessions()))).containsExactly(expected);
        assertThat(Settings.load(settingsFile()).recentSessions()).containsExactly(expected);
    }

    @Test
    void aSessionThatNeedsAPasswordAsksForItBeforeJoining() throws Exception {
        NearbySession locked = session("k", "Locked", 3001, true);
        onFx(() -> {
            model.joinNearby(locked);
            return null;
        });
        assertThat(model.errorProperty().get())
                .isEqualTo("\u201CLocked\u201D needs a password: type it under Password, then join again.");
        assertThat(joins).isEmpty();

        onFx(() -> {
            model.joinPasswordProperty().set("s3cret");
            model.joinNearby(locked);
            return null;
        });
        nextReady();
        assertThat(joins).containsExactly(locked);
    }

    @Test
    void aTypedAddressIsRememberedUnderTheNameOfTheSessionFoundThereOnceConnected() throws Exception {
        int ann = anotherHost();
        int other = anotherHost();
        int nobody = freePort();
        NearbyFeed feed = startBrowsing();
        feed.emit(found("k", "Ann's session", ann));
        waitForNames("Ann's session");

        join("127.0.0.1:" + nobody).open(); // nobody listens there: it never connects
        ChatSession notOpened = join("127.0.0.1:" + other);
        joinAndConnect("127.0.0.1:" + ann);
        assertThat(onFx(() -> List.copyOf(model.recentSessions())))
                .as("only a session that connected is remembered")
                .containsExactly(new RecentSession("http://127.0.0.1:" + ann, "Ann's session"));

        connected(notOpened);
        waitUntil(() -> model.recentSessions().size() == 2);
        assertThat(onFx(() -> List.copyOf(model.recentSessions())))
                .containsExactly(
                        new RecentSession("http://127.0.0.1:" + other, "http://127.0.0.1:" + other),
                        new RecentSession("http://127.0.0.1:" + ann, "Ann's session"));
        assertThat(joins)
                .as("typed addresses are joined as typed")
                .containsExactly("127.0.0.1:" + nobody, "127.0.0.1:" + other, "127.0.0.1:" + ann);
    }

    @Test
    void recentSessionsAreDedupedCappedRemovableAndSurviveARestart() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < RecentSession.MAX + 2; i++) {
            ports.add(anotherHost());
            joinAndConnect("127.0.0.1:" + ports.get(i));
        }
        joinAndConnect("127.0.0.1:" + ports.get(4)); // again: moves to the top, no second row

        List<RecentSession> recent = onFx(() -> List.copyOf(model.recentSessions()));
        assertThat(recent).hasSize(RecentSession.MAX);
        assertThat(recent).extracting(RecentSession::address).doesNotHaveDuplicates();
        assertThat(recent.get(0).address()).isEqualTo("http://127.0.0.1:" + ports.get(4));
        assertThat(recent.get(1).address()).isEqualTo("http://127.0.0.1:" + ports.get(ports.size() - 1));
        assertThat(recent).extracting(RecentSession::address).doesNotContain("http://127.0.0.1:" + ports.get(0));

        onFx(() -> {
            model.removeRecent(recent.get(1));
            return null;
        });
        assertThat(onFx(() -> List.copyOf(model.recentSessions())))
                .hasSize(RecentSession.MAX - 1)
                .doesNotContain(recent.get(1));

        StartViewModel afterRestart = onFx(
                () -> new StartViewModel(new Factory(), background, pump, ready::add, Settings.load(settingsFile())));
        assertThat(onFx(() -> List.copyOf(afterRestart.recentSessions())))
                .isEqualTo(onFx(() -> List.copyOf(model.recentSessions())));
    }

    @Test
    void aRecentSessionFoundOnTheNetworkIsJoinedThroughItsAnnouncement() throws Exception {
        int first = anotherHost();
        int second = anotherHost();
        joinAndConnect("127.0.0.1:" + first);
        joinAndConnect("127.0.0.1:" + second);
        NearbyFeed feed = startBrowsing();
        NearbySession announced = session("k", "Now announced", first, false);
        feed.emit(new NearbyEvent.Found(announced));
        waitForNames("Now announced");
        joins.clear();

        RecentSession older = onFx(() -> model.recentSessions().get(1));
        onFx(() -> {
            model.joinRecent(older);
            return null;
        });
        connected(nextReady());
        waitUntil(() -> model.recentSessions().get(0).name().equals("Now announced"));
        RecentSession nowOlder = onFx(() -> model.recentSessions().get(1));
        onFx(() -> {
            model.joinRecent(nowOlder);
            return null;
        });
        connected(nextReady());
        waitUntil(() -> model.recentSessions().get(0).address().equals("http://127.0.0.1:" + second));

        assertThat(joins).containsExactly(announced, "http://127.0.0.1:" + second);
        assertThat(onFx(() -> model.recentSessions().get(1).name())).isEqualTo("Now announced");
    }

    // Helpers //

    private Path settingsFile() {
        return dir.resolve(Settings.FILE_NAME);
    }

    private NearbyFeed startBrowsing() throws Exception {
        int before = feeds.size();
        onFx(() -> {
            model.startBrowsing();
            return null;
        });
        assertThat(feeds).hasSize(before + 1);
        NearbyFeed feed = feeds.get(before);
        assertThat(feed.awaitStarted(WAIT_SECONDS)).isTrue();
        return feed;
    }

    /** Joins {@code typed} as a person would; the session is handed on, not opened. */
    private ChatSession join(String typed) throws Exception {
        onFx(() -> {
            model.joinUrlProperty().set(typed);
            model.join();
            return null;
        });
        return nextReady();
    }

    /** Joins {@code typed}, opens the session and waits until the recent list has it on top. */
    private void joinAndConnect(String typed) throws Exception {
        ChatSession session = connected(join(typed));
        waitUntil(() -> !model.recentSessions().isEmpty()
                && model.recentSessions().get(0).address().equals(session.endpoint()));
    }

    /** A real host on loopback; closed after the test. */
    private int anotherHost() {
        HostServer another = new HostServer(HostConfig.loopback(Set.of()));
        hosts.add(another);
        return another.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private ChatSession nextReady() throws InterruptedException {
        ChatSession session = ready.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(session)
                .as("a session handed on; error: " + model.errorProperty().get())
                .isNotNull();
        opened.add(session);
        return session;
    }

    private static ChatSession connected(ChatSession session) throws InterruptedException {
        BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        session.addListener(event -> {
            if (event instanceof SessionEvent.StateChanged changed) {
                states.add(changed.state());
            }
        });
        session.open();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            ConnectionState state = states.poll(100, TimeUnit.MILLISECONDS);
            if (state == ConnectionState.CONNECTED) {
                return session;
            }
        }
        throw new AssertionError("never connected to " + session.endpoint());
    }

    private void waitForNames(String... names) throws Exception {
        List<String> expected = List.of(names);
        WaitForAsyncUtils.waitFor(
                WAIT_SECONDS,
                TimeUnit.SECONDS,
                () -> onFx(() -> model.nearbySessions().stream()
                        .map(NearbySession::name)
                        .toList()
                        .equals(expected)));
    }

    private void waitUntil(Callable<Boolean> onFxCondition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> onFx(onFxCondition));
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static NearbyEvent found(String key, String name, int port) {
        return new NearbyEvent.Found(session(key, name, port, false));
    }

    private static NearbySession session(String key, String name, int port, boolean password) {
        return new NearbySession(key, name, "127.0.0.1", port, false, "", password, false, "0.1.0");
    }

    /**
     * Browses with a {@link NearbyFeed} per call and joins with the real client: the session is
     * made, not opened, so an address nobody listens at costs nothing until a test opens it.
     */
    private final class Factory implements SessionFactory {
        @Override
        public HostedSession host(
                int port, Set<String> origins, String password, boolean secure, Identity identity, Advertising ad) {
            throw new SessionException("not hosting in this test");
        }

        @Override
        public ChatSession join(String typedAddress, String password, Identity identity) {
            joins.add(typedAddress);
            return client(typedAddress, password, identity);
        }

        @Override
        public ChatSession join(NearbySession nearby, String password, Identity identity) {
            joins.add(nearby);
            return client(nearby.address(), password, identity);
        }

        @Override
        public NearbySessions nearby() {
            NearbyFeed feed = new NearbyFeed();
            feeds.add(feed);
            return feed;
        }

        private ChatSession client(String address, String password, Identity identity) {
            try {
                return new ClientConnection(
                        JoinTarget.parse(address),
                        ClientConnection.Options.builder()
                                .password(password)
                                .identity(identity)
                                .build());
            } catch (IllegalArgumentException e) {
                throw new SessionException(e.getMessage());
            }
        }
    }
}
