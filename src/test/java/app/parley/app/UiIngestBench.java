package app.parley.app;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.session.ChatSession;
import app.parley.testing.RawClient;
import app.parley.ui.ChatView;
import app.parley.ui.ChatViewModel;
import app.parley.ui.FxPump;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Benchmark, not a test (bench/run.sh runs it): the real chat window, joined to a real host over
 * loopback, receives a flood of messages to a room from real socket.io-client-java senders. Reports the
 * longest gap between two FX pulses while it ingests (the window could not repaint), the longest a
 * task handed to the FX thread waited (what a click would wait), and the memory once every
 * message is in the conversation. A warm-up flood of a fifth of the total comes first and is not
 * measured, but stays in the conversation. Host, senders and window share this JVM and the
 * machine's cores. Prints one JSON line.
 *
 * <pre>java -cp target/test-classes:target/classes:CLASSPATH app.parley.app.UiIngestBench [perSecond] [total]</pre>
 */
public final class UiIngestBench {
    private static int perSecond = 10_000;
    private static int total = 100_000;
    private static final int SENDERS = 8;
    private static final long LIMIT_SECONDS = 120;
    /** Only the window is in it: the senders (in this JVM) receive nothing, so they measure nothing of their own. */
    private static final String ROOM = "ingest";

    private static HostServer host;
    private static final CountDownLatch windowReady = new CountDownLatch(1);
    private static volatile ChatViewModel model;
    private static volatile long maxGapNanos;
    private static volatile long gapsOver50;
    private static volatile long maxRunLaterNanos;
    /** CPU time the FX thread used while measuring: the window's own cost, apart from what it waited for. */
    private static volatile long fxCpuNanos;
    private static volatile boolean measuring;
    private static volatile int shown;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            perSecond = Integer.parseInt(args[0]);
        }
        if (args.length > 1) {
            total = Integer.parseInt(args[1]);
        }
        host = new HostServer(HostConfig.loopback(Set.of())
                .withChatRate(new HostConfig.ChatRate(1_000_000, 1_000_000))
                .withLimits(new app.parley.engine.EngineLimits(1_000, 256, 1_000_000, 1_000_000)));
        int port = host.start();
        Thread fx = new Thread(() -> Application.launch(Window.class), "fx-launch");
        fx.setDaemon(true);
        fx.start();
        if (!windowReady.await(30, TimeUnit.SECONDS)) {
            fail("the window did not open and connect within 30 s");
        }
        List<RawClient> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            RawClient sender = RawClient.connect(port, new String[] {"websocket"}, java.util.Map.of());
            sender.awaitId();
            senders.add(sender);
        }
        Thread.sleep(500);
        // Warm-up: the same flood, not measured, so the JIT has compiled the paths it uses.
        int warmup = total / 5;
        flood(senders, warmup, "w");
        int before = shown;
        maxGapNanos = 0;
        gapsOver50 = 0;
        maxRunLaterNanos = 0;
        fxCpuNanos = 0;
        measuring = true;
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        // How long work handed to the FX thread waits: what a click or a key press would wait.
        probe.scheduleAtFixedRate(() -> {
            long posted = System.nanoTime();
            Platform.runLater(() -> {
                if (measuring) {
                    maxRunLaterNanos = Math.max(maxRunLaterNanos, System.nanoTime() - posted);
                }
            });
        }, 0, 10, TimeUnit.MILLISECONDS);
        long elapsed = flood(senders, total, "m");
        measuring = false;
        probe.shutdownNow();
        int received = shown - before;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "{\"ok\":%b,\"perSecondOffered\":%d,\"messages\":%d,\"received\":%d,"
                        + "\"warmupMessages\":%d,\"inConversation\":%d,"
                        + "\"seconds\":%.2f,\"ingestPerSec\":%d,\"maxPulseGapMs\":%.1f,\"pulseGapsOver50ms\":%d,"
                        + "\"maxRunLaterWaitMs\":%.1f,\"fxCpuMs\":%d,\"heapAfterGcMB\":%.1f,\"rssMB\":%.1f,\"toolkit\":\"%s\"}%n",
                received == total, perSecond, total, received, warmup, model.conversation().size(),
                elapsed / 1e9, Math.round(received / (elapsed / 1e9)),
                maxGapNanos / 1e6, gapsOver50, maxRunLaterNanos / 1e6, fxCpuNanos / 1_000_000, heap / 1048576.0, rssKb() / 1024.0,
                System.getProperty("glass.platform", "default"));
        senders.forEach(RawClient::close);
        Platform.exit();
        host.close();
        System.exit(0);
    }

    /** The window; JavaFX wants its Application class apart from the main class on a class path. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            FxPump pump = new FxPump();
            ChatSession session = new DefaultSessionFactory("127.0.0.1", null).join("127.0.0.1:" + host.port(), null,
                    new app.parley.session.Identity("reader", java.util.UUID.randomUUID().toString()));
            model = new ChatViewModel(session, pump);
            ChatView view = new ChatView(model, Platform::exit);
            Scene scene = new Scene(view.root(), 1120, 720);
            app.parley.ui.Themes.follow(scene,
                    new javafx.beans.property.SimpleObjectProperty<>(app.parley.settings.Theme.LIGHT));
            stage.setScene(scene);
            stage.show();
            // Lines shown in any conversation (the flood goes to the room's, once it is open).
            javafx.collections.ListChangeListener<Object> count = change -> {
                while (change.next()) {
                    shown += change.getAddedSize();
                }
            };
            model.conversations().forEach(c -> c.lines().addListener(count));
            model.conversations().addListener((javafx.collections.ListChangeListener<app.parley.ui.Conversation>) change -> {
                while (change.next()) {
                    change.getAddedSubList().forEach(c -> c.lines().addListener(count));
                }
            });
            new AnimationTimer() {
                private long last;
                private long lastCpu;
                private final java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                private final long traceStart = System.nanoTime();

                @Override
                public void handle(long now) {
                    long cpuNow = cpu.getCurrentThreadCpuTime();
                    if (measuring && last != 0) {
                        fxCpuNanos += cpuNow - lastCpu;
                        long gap = now - last;
                        maxGapNanos = Math.max(maxGapNanos, gap);
                        if (gap > 50_000_000L) {
                            gapsOver50++;
                            if (System.getenv("UI_BENCH_TRACE") != null) {
                                System.err.printf("gap %.0f ms (FX thread busy %.0f ms) at %.1f s, %d shown%n", gap / 1e6,
                                        (cpuNow - lastCpu) / 1e6, (now - traceStart) / 1e9, shown);
                            }
                        }
                    }
                    last = now;
                    lastCpu = cpuNow;
                }
            }.start();
            model.myIdProperty().addListener((o, was, id) -> {
                if (id != null && !id.isEmpty()) {
                    model.joinRoom(ROOM);
                }
            });
            model.rooms().addListener((javafx.collections.ListChangeListener<String>) change -> {
                if (model.rooms().contains(ROOM)) {
                    windowReady.countDown();
                }
            });
            model.open();
        }
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: reported as 0
        }
        return 0;
    }

    /** Sends {@code count} messages at {@code perSecond}; returns when all are shown (or the limit passed), in nanoseconds. */
    private static long flood(List<RawClient> senders, int count, String tag) throws InterruptedException {
        int before = shown;
        long started = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        // Every millisecond, whatever is due by now: perSecond spread evenly, round-robin over the senders.
        pacer.scheduleAtFixedRate(() -> {
            long due = Math.min(count, (System.nanoTime() - started) * perSecond / 1_000_000_000L);
            for (int n = sent.get(); n < due; n = sent.incrementAndGet()) {
                senders.get(n % SENDERS).socket().emit(ChatEvents.SEND_MESSAGE, tag + n + " " + "x".repeat(40), ROOM);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        long deadline = started + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (shown - before < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        pacer.shutdownNow();
        return System.nanoTime() - started;
    }

    private static void fail(String why) {
        System.out.printf(Locale.ROOT, "{\"ok\":false,\"error\":\"%s\"}%n", why);
        System.exit(1);
    }
}
