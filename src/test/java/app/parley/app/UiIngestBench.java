package app.parley.app;

import app.parley.protocol.Target;
import app.parley.session.ChatSession;
import app.parley.ui.FxPump;
import app.parley.ui.chat.ChatView;
import app.parley.ui.chat.ChatViewModel;
import app.parley.ui.chat.Conversation;
import app.parley.ui.lines.ConversationLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Benchmark, not a test (bench/run.sh runs it): what a user sees with the real chat window joined
 * to a busy host elsewhere. The window (ChatView and its view model, joined by address with Parley's
 * client) runs in a JVM of its own, started with the JVM options the app ships
 * ({@code jpackage/jvm.options}, one a line, {@code #} comments; none if the file is absent). The
 * host and 8 socket.io-client-java senders run in another JVM ({@link UiIngestLoad}) and flood a
 * room only the window has joined, at the offered rate.
 *
 * <p>Warm-up floods, not measured, come first, each in a room of its own that the window leaves
 * afterwards, until the JIT of both JVMs has settled (at least 100,000 messages, at most 600,000 or
 * 60 s). Then the measured flood of {@code total} messages to a fresh room. Reports the longest gap
 * between two FX pulses while it ingests (the window could not repaint), the longest a task handed
 * to the FX thread waited (what a click would wait), the FX thread's CPU time, and the window
 * process's heap after GC and RSS with exactly the measured messages in the conversation. Also how
 * busy the machine was (CPU of the window, of the host and senders, and of everything else). Prints
 * one JSON line.
 *
 * <p>The process started from the command line only starts the window's JVM and waits for it
 * (bounded); the window's JVM starts the host's and stops it at the end, and the host's stops by
 * itself when the window's is gone.
 *
 * <pre>java -cp target/test-classes:target/classes:CLASSPATH app.parley.app.UiIngestBench [perSecond] [total]</pre>
 */
public final class UiIngestBench {
    private static int perSecond = 10_000;
    private static int total = 100_000;
    private static final int SENDERS = 8;
    /** The longest one flood may take to be shown, in seconds. */
    private static final long LIMIT_SECONDS = 120;
    /** The window's process, everything included, in seconds; bench/run.sh allows 300. */
    private static final long WINDOW_LIMIT_SECONDS = 280;

    private static final int WARMUP_ROUND = 20_000;
    private static final int WARMUP_MIN = 100_000;
    private static final int WARMUP_MAX = 600_000;
    private static final long WARMUP_MAX_SECONDS = 60;
    /** A warm-up round has settled when the JIT compiler threads of each JVM used less than this share of a core. */
    private static final double JIT_SETTLED = 0.05;

    private static final String WINDOW_PROPERTY = "parley.uiIngest.window";
    private static final String JVM_OPTIONS = "jpackage/jvm.options";
    /** The room of the measured flood; warm-up rooms are "warm1", "warm2", .... */
    private static final String ROOM = "ingest";

    private static final CountDownLatch windowReady = new CountDownLatch(1);
    private static volatile ChatViewModel model;
    private static volatile String joinAddress;
    /** Rooms the window is in, as its view model last said. */
    private static final Set<String> rooms = new CopyOnWriteArraySet<>();

    private static volatile long maxGapNanos;
    private static volatile long gapsOver50;
    private static volatile long maxRunLaterNanos;
    /** CPU time the FX thread used while measuring: the window's own cost, apart from what it waited for. */
    private static volatile long fxCpuNanos;

    private static volatile boolean measuring;
    /** Messages from others shown as lines, in any conversation (notices are not counted). */
    private static volatile int shown;

    private static Process load;
    private static PrintWriter loadCommands;
    private static final BlockingQueue<String> loadReplies = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            perSecond = Integer.parseInt(args[0]);
        }
        if (args.length > 1) {
            total = Integer.parseInt(args[1]);
        }
        if (Boolean.getBoolean(WINDOW_PROPERTY)) {
            window();
        } else {
            System.exit(startWindow(args));
        }
    }

    // ---- the process started from the command line: starts the window's JVM and waits for it

    private static int startWindow(String[] args) throws Exception {
        List<String> options = shippedOptions();
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(options);
        // System properties given to the benchmark (a toolkit, a trace) go to the window.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-D"))
                .forEach(command::add);
        command.add("-D" + WINDOW_PROPERTY + "=true");
        command.add("-Dparley.uiIngest.jvmOptions=" + String.join("\u001f", options));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UiIngestBench.class.getName());
        command.addAll(List.of(args));
        Process window = new ProcessBuilder(command).inheritIO().start();
        Thread stop = new Thread(() -> stop(window), "stop-window");
        Runtime.getRuntime().addShutdownHook(stop);
        if (!window.waitFor(WINDOW_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            stop(window);
            System.out.printf(
                    Locale.ROOT,
                    "{\"ok\":false,\"error\":\"the window's process did not finish within %d s\"}%n",
                    WINDOW_LIMIT_SECONDS);
            return 1;
        }
        return window.exitValue();
    }

    /** The options the app ships, if {@code jpackage/jvm.options} is there: one a line, {@code #} starts a comment. */
    private static List<String> shippedOptions() throws Exception {
        Path file = Path.of(System.getProperty("parley.uiIngest.jvmOptionsFile", JVM_OPTIONS));
        List<String> options = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            System.err.println("UiIngestBench: no " + file + ", the window runs with the JVM's defaults");
            return options;
        }
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String here = os.contains("win") ? "windows" : os.contains("mac") ? "mac" : "linux";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String option = line.replaceAll("#.*", "").strip();
            if (option.isEmpty()) {
                continue;
            }
            // "linux: -X…" keeps an option to one OS (see the file's header)
            java.util.regex.Matcher only =
                    java.util.regex.Pattern.compile("^([a-z]+):\\s*(.*)$").matcher(option);
            if (only.matches()) {
                if (!only.group(1).equals(here)) {
                    continue;
                }
                option = only.group(2);
            }
            if (option.contains("$APPDIR") || option.contains("$ROOTDIR") || option.contains("$BINDIR")) {
                System.err.println("UiIngestBench: skipped (names the installed package's folders): " + option);
                continue;
            }
            options.add(option);
        }
        System.err.println("UiIngestBench: the window runs with " + file + ": " + options);
        return options;
    }

    private static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Asks a process and its children to stop, then forces them after two seconds. */
    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    // ---- the window's process

    private static void window() throws Exception {
        startLoad();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(load), "stop-load"));
        joinAddress = "127.0.0.1:" + expect("port ", 30).substring(5);
        expect("ready", 30);
        Renderer.chooseForThisMachine(); // as Launcher does
        Thread fx = new Thread(() -> Application.launch(Window.class), "fx-launch");
        fx.setDaemon(true);
        fx.start();
        if (!windowReady.await(30, TimeUnit.SECONDS)) {
            fail("the window did not open and connect within 30 s");
        }
        // Warm-up: floods to rooms of their own, left afterwards so that their lines go, until
        // neither JVM is still compiling much (the JIT competes with the window for the cores).
        long warmStarted = System.nanoTime();
        int warmup = 0;
        int rounds = 0;
        String room = null;
        while (true) {
            String next = "warm" + (rounds + 1);
            join(next);
            if (room != null) {
                leave(room);
            }
            room = next;
            long started = System.nanoTime();
            long windowJit = jitCpuMs("self");
            long loadJit = jitCpuMs(Long.toString(load.pid()));
            int got = flood(room, WARMUP_ROUND, "w" + rounds + "-");
            double ms = (System.nanoTime() - started) / 1e6;
            double windowShare = (jitCpuMs("self") - windowJit) / ms;
            double loadShare = (jitCpuMs(Long.toString(load.pid())) - loadJit) / ms;
            rounds++;
            warmup += got;
            System.err.printf(
                    Locale.ROOT,
                    "UiIngestBench: warm-up round %d: %d shown in %.0f ms; JIT compiler threads' CPU: %.0f%% of a core in the window's JVM, %.0f%% in the host's%n",
                    rounds,
                    got,
                    ms,
                    windowShare * 100,
                    loadShare * 100);
            if (got < WARMUP_ROUND) {
                fail("warm-up: only " + got + " of " + WARMUP_ROUND + " messages shown within " + LIMIT_SECONDS + " s");
            }
            boolean settled = windowShare < JIT_SETTLED && loadShare < JIT_SETTLED;
            if (warmup >= WARMUP_MAX
                    || System.nanoTime() - warmStarted > TimeUnit.SECONDS.toNanos(WARMUP_MAX_SECONDS)
                    || (warmup >= WARMUP_MIN && settled)) {
                break;
            }
        }
        double warmupSeconds = (System.nanoTime() - warmStarted) / 1e9;
        join(ROOM);
        leave(room);
        Thread.sleep(500);

        long windowJitBefore = jitCpuMs("self");
        long loadJitBefore = jitCpuMs(Long.toString(load.pid()));
        Cpu cpuBefore = Cpu.now(load.pid());
        maxGapNanos = 0;
        gapsOver50 = 0;
        maxRunLaterNanos = 0;
        fxCpuNanos = 0;
        measuring = true;
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        // How long work handed to the FX thread waits: what a click or a key press would wait.
        probe.scheduleAtFixedRate(
                () -> {
                    long posted = System.nanoTime();
                    Platform.runLater(() -> {
                        if (measuring) {
                            maxRunLaterNanos = Math.max(maxRunLaterNanos, System.nanoTime() - posted);
                        }
                    });
                },
                0,
                10,
                TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        int received = flood(ROOM, total, "m");
        long elapsed = System.nanoTime() - started;
        measuring = false;
        probe.shutdownNow();
        Cpu cpu = Cpu.now(load.pid()).minus(cpuBefore);
        long windowJitMs = jitCpuMs("self") - windowJitBefore;
        long loadJitMs = jitCpuMs(Long.toString(load.pid())) - loadJitBefore;
        String loadAvg = loadAverage();
        quitLoad();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long heapCommitted =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        int inConversation = onFx(() -> model.conversations().stream()
                .filter(c -> c.target() instanceof Target.Room r && r.name().equals(ROOM))
                .findFirst()
                .map(c -> (int) c.lines().stream()
                        .filter(l -> l.kind() == ConversationLine.Kind.OTHER)
                        .count())
                .orElse(0));
        String jvmOptions = System.getProperty("parley.uiIngest.jvmOptions", "");
        StringBuilder options = new StringBuilder("[");
        for (String o : jvmOptions.isEmpty() ? new String[0] : jvmOptions.split("\u001f")) {
            options.append(options.length() > 1 ? "," : "")
                    .append('"')
                    .append(o.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        options.append(']');
        double seconds = elapsed / 1e9;
        System.out.printf(
                Locale.ROOT,
                "{\"ok\":%b,\"perSecondOffered\":%d,\"messages\":%d,\"received\":%d,"
                        + "\"warmupMessages\":%d,\"warmupRounds\":%d,\"warmupSeconds\":%.1f,\"inConversation\":%d,"
                        + "\"seconds\":%.2f,\"ingestPerSec\":%d,\"maxPulseGapMs\":%.1f,\"pulseGapsOver50ms\":%d,"
                        + "\"maxRunLaterWaitMs\":%.1f,\"fxCpuMs\":%d,\"windowJitMs\":%d,\"loadJitMs\":%d,"
                        + "\"windowCpuPct\":%.0f,\"loadCpuPct\":%.0f,\"otherCpuPct\":%.0f,\"cores\":%d,\"loadAverage\":\"%s\","
                        + "\"heapAfterGcMB\":%.1f,\"heapCommittedMB\":%.1f,\"rssMB\":%.1f,\"peakRssMB\":%.1f,\"jvmOptions\":%s,\"hostInOwnProcess\":true,\"toolkit\":\"%s\"}%n",
                received == total && inConversation == total,
                perSecond,
                total,
                received,
                warmup,
                rounds,
                warmupSeconds,
                inConversation,
                seconds,
                Math.round(received / seconds),
                maxGapNanos / 1e6,
                gapsOver50,
                maxRunLaterNanos / 1e6,
                fxCpuNanos / 1_000_000,
                windowJitMs,
                loadJitMs,
                cpu.selfPct(),
                cpu.childPct(),
                cpu.otherPct(),
                Runtime.getRuntime().availableProcessors(),
                loadAvg,
                heap / 1048576.0,
                heapCommitted / 1048576.0,
                statusKb("VmRSS:") / 1024.0,
                statusKb("VmHWM:") / 1024.0,
                options,
                System.getProperty("glass.platform", "default"));
        Platform.exit();
        System.exit(0);
    }

    /** The window; JavaFX wants its Application class apart from the main class on a class path. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            FxPump pump = new FxPump();
            ChatSession session = new DefaultSessionFactory("127.0.0.1", null)
                    .join(
                            joinAddress,
                            null,
                            new app.parley.session.Identity(
                                    "reader", java.util.UUID.randomUUID().toString()));
            model = new ChatViewModel(session, pump);
            ChatView view = new ChatView(model, Platform::exit);
            Scene scene = new Scene(view.root(), 1120, 720);
            app.parley.ui.look.Themes.follow(
                    scene, new javafx.beans.property.SimpleObjectProperty<>(app.parley.settings.Theme.LIGHT));
            stage.setScene(scene);
            stage.show();
            // Messages shown in any conversation (each flood goes to its room's, once it is open).
            javafx.collections.ListChangeListener<ConversationLine> count = change -> {
                while (change.next()) {
                    for (ConversationLine line : change.getAddedSubList()) {
                        if (line.kind() == ConversationLine.Kind.OTHER) {
                            shown++;
                        }
                    }
                }
            };
            model.conversations().forEach(c -> c.lines().addListener(count));
            model.conversations().addListener((javafx.collections.ListChangeListener<Conversation>) change -> {
                while (change.next()) {
                    change.getAddedSubList().forEach(c -> c.lines().addListener(count));
                }
            });
            new AnimationTimer() {
                private long last;
                private long lastCpu;
                private final java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                private final long traceStart = System.nanoTime();
                /** UI_BENCH_TRACE=ms prints every gap longer than that (50 when set to anything else). */
                private final long traceOver = traceThreshold();

                @Override
                public void handle(long now) {
                    long cpuNow = cpu.getCurrentThreadCpuTime();
                    if (measuring && last != 0) {
                        fxCpuNanos += cpuNow - lastCpu;
                        long gap = now - last;
                        maxGapNanos = Math.max(maxGapNanos, gap);
                        if (gap > 50_000_000L) {
                            gapsOver50++;
                        }
                        if (gap > traceOver) {
                            System.err.printf(
                                    Locale.ROOT,
                                    "gap %.0f ms (FX thread busy %.0f ms) at %.1f s (JVM uptime %.3f s), %d shown%n",
                                    gap / 1e6,
                                    (cpuNow - lastCpu) / 1e6,
                                    (now - traceStart) / 1e9,
                                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                                    shown);
                        }
                    }
                    last = now;
                    lastCpu = cpuNow;
                }
            }.start();
            model.rooms().addListener((javafx.collections.ListChangeListener<String>) change -> {
                rooms.clear();
                rooms.addAll(model.rooms());
            });
            model.myIdProperty().addListener((o, was, id) -> {
                if (id != null && !id.isEmpty()) {
                    windowReady.countDown();
                }
            });
            model.open();
        }
    }

    /** From UI_BENCH_TRACE: the gap in ms past which each is printed, in nanoseconds; none when unset. */
    private static long traceThreshold() {
        String trace = System.getenv("UI_BENCH_TRACE");
        if (trace == null) {
            return Long.MAX_VALUE;
        }
        try {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(trace.strip()));
        } catch (NumberFormatException e) {
            return 50_000_000L;
        }
    }

    private static void join(String room) throws InterruptedException {
        Platform.runLater(() -> model.joinRoom(room));
        awaitRooms(() -> rooms.contains(room), "join " + room);
    }

    private static void leave(String room) throws InterruptedException {
        Platform.runLater(() -> model.leaveRoom(room));
        awaitRooms(() -> !rooms.contains(room), "leave " + room);
    }

    private static void awaitRooms(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("could not " + what + " within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        return task.get(10, TimeUnit.SECONDS);
    }

    // ---- the host's process

    private static void startLoad() throws Exception {
        load = new ProcessBuilder(
                        javaCommand(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        UiIngestLoad.class.getName(),
                        Integer.toString(perSecond),
                        Integer.toString(SENDERS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        loadCommands = new PrintWriter(new OutputStreamWriter(load.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread replies = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            loadReplies.add(line);
                        }
                    } catch (Exception e) {
                        // the host's process is gone; a wait for its reply says so
                    }
                    loadReplies.add("exited");
                },
                "load-replies");
        replies.setDaemon(true);
        replies.start();
    }

    /** The host's next reply, which must start with {@code prefix}. */
    private static String expect(String prefix, long seconds) throws InterruptedException {
        String line = loadReplies.poll(seconds, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(prefix)) {
            fail("the host's process said " + (line == null ? "nothing within " + seconds + " s" : "'" + line + "'")
                    + " where '" + prefix.strip() + "' was expected");
        }
        return line;
    }

    /**
     * Has the host's process send {@code count} messages to {@code room} at the rate offered; returns
     * how many were shown once all are (or the limit passed).
     */
    private static int flood(String room, int count, String tag) throws InterruptedException {
        int before = shown;
        long started = System.nanoTime();
        loadCommands.println("flood " + room + " " + count + " " + tag);
        long deadline = started + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (shown - before < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        expect("sent ", Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L) + 5);
        return shown - before;
    }

    private static void quitLoad() throws InterruptedException {
        loadCommands.println("quit");
        try {
            if (!load.waitFor(10, TimeUnit.SECONDS)) {
                stop(load);
            }
        } catch (InterruptedException e) {
            stop(load);
            throw e;
        }
    }

    /** CPU time (jiffies) of the whole machine, of this process and of the host's, from /proc. */
    private record Cpu(long machineBusy, long machineAll, long self, long child, long wallNanos) {
        static Cpu now(long childPid) {
            try {
                String[] stat =
                        Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long all = 0;
                // user nice system idle iowait irq softirq steal (guest time is inside user already)
                for (int i = 1; i < Math.min(stat.length, 9); i++) {
                    all += Long.parseLong(stat[i]);
                }
                long idle = Long.parseLong(stat[4]) + Long.parseLong(stat[5]);
                return new Cpu(
                        all - idle,
                        all,
                        processJiffies("self"),
                        processJiffies(Long.toString(childPid)),
                        System.nanoTime());
            } catch (Exception e) {
                return new Cpu(0, 0, 0, 0, System.nanoTime()); // not Linux: reported as 0
            }
        }

        private static long processJiffies(String pid) throws Exception {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        }

        Cpu minus(Cpu before) {
            return new Cpu(
                    machineBusy - before.machineBusy,
                    machineAll - before.machineAll,
                    self - before.self,
                    child - before.child,
                    wallNanos - before.wallNanos);
        }

        /** Percent of one core, over the wall time (100 jiffies a second). */
        private double pct(long jiffies) {
            return wallNanos <= 0 ? 0 : jiffies / 100.0 / (wallNanos / 1e9) * 100;
        }

        double selfPct() {
            return pct(self);
        }

        double childPct() {
            return pct(child);
        }

        double otherPct() {
            return pct(Math.max(0, machineBusy - self - child));
        }
    }

    /** CPU time of a JVM's JIT compiler threads (C1, C2), in ms, from /proc; 0 where there is none. */
    private static long jitCpuMs(String pid) {
        long jiffies = 0;
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C")
                            && Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        jiffies += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (Exception e) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return jiffies * 10;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "";
        }
    }

    /** A size from {@code /proc/self/status} in kB: {@code VmRSS:} now, {@code VmHWM:} the most it has been. */
    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: reported as 0
        }
        return 0;
    }

    private static void fail(String why) {
        System.out.printf(
                Locale.ROOT,
                "{\"ok\":false,\"error\":\"%s\"}%n",
                why.replace("\\", "\\\\").replace("\"", "\\\""));
        System.exit(1);
    }
}
