package app.parley.app;

import app.parley.join.ClientConnection;
import app.parley.join.patch.CurrentTransport;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.session.ConnectionState;
import app.parley.session.FileTransfer;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.json.JSONObject;

/**
 * Benchmark, not a test (bench/run.sh runs it, issue #26): one file over loopback between a
 * Parley headless host in another process and Parley's client ({@link ClientConnection}) in this
 * one. Up: {@code sendFile} to Everyone, timed from the call to {@code done()}; down: a second
 * connection's {@code receiveFile} of that message to a file beside the original, timed the same
 * way (the receiver checks the SHA-256 itself). Every 100 ms it reads {@code VmRSS} of both
 * processes from {@code /proc/<pid>/status}; per direction it reports the RSS at the start, the
 * largest sample, {@code VmHWM} at the end, and each process's CPU and its busiest threads, so a
 * slow direction says who was busy. Last it asks the host for the file's download link
 * ({@code file-link}, docs/PROTOCOL.md §15.3) over a plain socket.io-client socket, for the
 * script's {@code curl} baseline. Prints JSON lines; MB are 10^6 bytes.
 *
 * <p>It does that {@code ROUNDS} times (3 unless told): the first round is what a user's first
 * file costs, in JVMs that have not yet compiled the file code; the later ones are the steady state.
 *
 * <pre>java -cp target/test-classes:target/classes:CLASSPATH app.parley.app.FilesBench URL HOST_PID FILE [LIMIT_SECONDS [ROUNDS]]</pre>
 */
public final class FilesBench {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on every Linux the bench runs on
    private static final Duration SAMPLE = Duration.ofMillis(100);

    private FilesBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FilesBench URL HOST_PID FILE [LIMIT_SECONDS [ROUNDS]]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        long hostPid = Long.parseLong(args[1]);
        Path file = Path.of(args[2]);
        long limitSeconds = args.length > 3 ? Long.parseLong(args[3]) : 600;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        // Whatever happens below, the process ends within the limit: bench/run.sh waits for it.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(limitSeconds + 5));
            } catch (InterruptedException e) {
                return;
            }
            line(Map.of(
                    "id", "files", "ok", false, "error", "FilesBench did not finish within " + limitSeconds + " s"));
            Runtime.getRuntime().halt(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        int rc = 0;
        try {
            run(url, hostPid, file, rounds, deadline);
        } catch (Exception e) {
            line(Map.of("id", "files", "ok", false, "error", String.valueOf(e)));
            e.printStackTrace();
            rc = 1;
        }
        System.out.flush();
        System.exit(rc); // the clients' non-daemon threads need not hold the process; the watchdog still halts
    }

    private static void run(URI url, long hostPid, Path file, int rounds, long deadline) throws Exception {
        long size = Files.size(file);
        String sha = sha256(file);
        Sampler sampler = new Sampler(hostPid);
        try (ClientConnection up = connect(url, "bench-up", deadline);
                ClientConnection down = connect(url, "bench-down", deadline)) {
            ConcurrentLinkedQueue<Timed> upEvents = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Timed> downEvents = new ConcurrentLinkedQueue<>();
            up.addListener(e -> upEvents.add(new Timed(System.nanoTime(), e)));
            down.addListener(e -> downEvents.add(new Timed(System.nanoTime(), e)));
            ChatMessage message = null;
            for (int round = 1; round <= rounds; round++) {
                // ---- up: client -> host ----
                String transport = transportOf(up);
                int heard = received(downEvents, sha).size();
                Phase phase = sampler.begin();
                long t0 = System.nanoTime();
                FileTransfer sent = up.sendFile(
                        new Target.Everyone(), file, UUID.randomUUID().toString());
                sent.done().get(remaining(deadline), TimeUnit.NANOSECONDS);
                long t1 = System.nanoTime();
                Map<String, Object> upLine = result("up", size, t0, t1, sent.id(), upEvents, phase.end(), transport);
                upLine.put("round", round);
                line(upLine);

                waitFor(() -> received(downEvents, sha).size() > heard, deadline, "the receiver hears of the file");
                message = received(downEvents, sha).get(heard);

                // ---- down: host -> client ----
                Path saved = file.resolveSibling(file.getFileName() + ".received");
                Files.deleteIfExists(saved);
                String downTransport = transportOf(down);
                phase = sampler.begin();
                long t2 = System.nanoTime();
                FileTransfer got = down.receiveFile(message, saved);
                got.done().get(remaining(deadline), TimeUnit.NANOSECONDS);
                long t3 = System.nanoTime();
                Map<String, Object> downLine =
                        result("down", size, t2, t3, got.id(), downEvents, phase.end(), downTransport);
                downLine.put("round", round);
                downLine.put("sizeMatches", Files.size(saved) == size);
                Files.deleteIfExists(saved);
                line(downLine);
            }

            // ---- the host's HTTP link to the same bytes, for curl ----
            String link = link(url, message.id(), deadline);
            Map<String, Object> linkLine = new LinkedHashMap<>();
            linkLine.put("id", "files-link");
            linkLine.put("ok", true);
            linkLine.put("url", url.resolve(link).toString());
            linkLine.put("bytes", size);
            line(linkLine);
        } finally {
            sampler.close();
        }
    }

    // ---- the clients ----

    private static ClientConnection connect(URI url, String name, long deadline) throws Exception {
        // The options a joining window uses (ClientConnection.Options' defaults: polling, then the
        // upgrade to WebSocket), with a name of its own so each is a user of its own.
        ClientConnection connection = new ClientConnection(
                url,
                ClientConnection.Options.builder()
                        .identity(new Identity(name, UUID.randomUUID().toString()))
                        .build());
        connection.open();
        waitFor(() -> connection.socketId() != null && connection.isParleyHost(), deadline, name + " connects");
        // Engine.IO upgrades to WebSocket after its probe: give it the moment it takes.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!"websocket".equals(transportOf(connection)) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return connection;
    }

    /**
     * The Engine.IO transport the connection's socket uses now ({@code websocket} or
     * {@code polling}), read from the library's fields: nothing public says it.
     */
    static String transportOf(ClientConnection connection) {
        try {
            String transport = CurrentTransport.of((Socket) field(connection, "socket"));
            return transport == null ? "unknown (not connected, or the client's patches are off)" : transport;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // on up the hierarchy
            }
        }
        throw new NoSuchFieldException(name);
    }

    /** The file messages with these bytes heard so far, in order (each upload is a message of its own). */
    private static List<ChatMessage> received(ConcurrentLinkedQueue<Timed> events, String sha) {
        return events.stream()
                .map(Timed::event)
                .filter(e -> e instanceof SessionEvent.MessageReceived)
                .map(e -> ((SessionEvent.MessageReceived) e).message())
                .filter(m -> m.file() != null && m.file().sha256().equals(sha))
                .distinct()
                .toList();
    }

    /** {@code file-link({id})} over a socket of its own: Parley's client has no call for it (a browser's). */
    private static String link(URI url, String messageId, long deadline) throws Exception {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(new String[] {"websocket"})
                .build();
        Socket socket = IO.socket(url, options);
        CompletableFuture<String> answer = new CompletableFuture<>();
        socket.on(
                Socket.EVENT_CONNECT,
                none -> socket.emit("file-link", new Object[] {new JSONObject().put("id", messageId)}, ack -> {
                    Object first = ack.length > 0 ? ack[0] : null;
                    if (first instanceof JSONObject json && json.optBoolean("ok") && json.has("url")) {
                        answer.complete(json.getString("url"));
                    } else {
                        answer.completeExceptionally(new IllegalStateException("file-link answered " + first));
                    }
                }));
        socket.on(
                Socket.EVENT_CONNECT_ERROR,
                error -> answer.completeExceptionally(
                        new IllegalStateException("file-link's socket could not connect: " + List.of(error))));
        socket.connect();
        try {
            return answer.get(Math.min(remaining(deadline), TimeUnit.SECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
        } finally {
            socket.close();
        }
    }

    // ---- results ----

    private record Timed(long at, SessionEvent event) {}

    /** One direction's JSON line. */
    private static Map<String, Object> result(
            String direction,
            long size,
            long start,
            long end,
            String transferId,
            ConcurrentLinkedQueue<Timed> events,
            Map<String, Object> resources,
            String transport) {
        List<Timed> progress = events.stream()
                .filter(t -> t.event() instanceof SessionEvent.TransferProgress p
                        && p.transferId().equals(transferId))
                .toList();
        // The first bytes the other end confirmed: before them the sender hashed the whole file
        // and offered it, the receiver asked for the first chunk.
        Optional<Timed> firstBytes = progress.stream()
                .filter(t -> ((SessionEvent.TransferProgress) t.event()).done() > 0)
                .findFirst();
        long paused = progress.stream()
                .filter(t -> ((SessionEvent.TransferProgress) t.event()).state() == SessionEvent.TransferState.PAUSED)
                .count();
        long disconnects = events.stream()
                .filter(t -> t.at() >= start && t.at() <= end)
                .filter(t -> t.event() instanceof SessionEvent.StateChanged s && s.state() != ConnectionState.CONNECTED)
                .count();
        double seconds = (end - start) / 1e9;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", "files");
        line.put("ok", true);
        line.put("direction", direction);
        line.put("bytes", size);
        line.put("seconds", round(seconds, 3));
        line.put("mbPerSec", round(size / 1e6 / seconds, 1));
        firstBytes.ifPresent(t -> {
            long from = ((SessionEvent.TransferProgress) t.event()).done();
            double wire = (end - t.at()) / 1e9;
            line.put("secondsToFirstBytes", round((t.at() - start) / 1e9, 3));
            line.put("wireMbPerSec", round((size - from) / 1e6 / wire, 1));
        });
        line.put("transport", transport);
        line.put("pauses", paused);
        line.put("connectionChanges", disconnects);
        line.putAll(resources);
        return line;
    }

    private static double round(double x, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(x * scale) / scale;
    }

    private static synchronized void line(Map<String, ?> fields) {
        System.out.println(json(fields));
        System.out.flush();
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> JSONObject.quote(String.valueOf(e.getKey())) + ":" + json(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(FilesBench::json).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return value == null ? "null" : JSONObject.quote(String.valueOf(value));
    }

    // ---- /proc ----

    /** One direction's resources, from {@link Sampler#begin()} to {@link #end()}. */
    private interface Phase {
        Map<String, Object> end();
    }

    /** Samples the RSS of the host and of this process every 100 ms while a phase runs. */
    private static final class Sampler implements AutoCloseable {
        private final long hostPid;
        private final long selfPid = ProcessHandle.current().pid();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-rss-sampler");
            t.setDaemon(true);
            return t;
        });
        private volatile long hostPeakKb;
        private volatile long selfPeakKb;
        private volatile int samples;

        Sampler(long hostPid) {
            this.hostPid = hostPid;
            timer.scheduleAtFixedRate(this::sample, 0, SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void sample() {
            hostPeakKb = Math.max(hostPeakKb, status(hostPid, "VmRSS"));
            selfPeakKb = Math.max(selfPeakKb, status(selfPid, "VmRSS"));
            samples++;
        }

        Phase begin() {
            long hostStartKb;
            long selfStartKb;
            synchronized (this) {
                hostStartKb = status(hostPid, "VmRSS");
                selfStartKb = status(selfPid, "VmRSS");
                hostPeakKb = hostStartKb;
                selfPeakKb = selfStartKb;
                samples = 0;
            }
            Map<Long, ThreadTime> hostThreads = threads(hostPid);
            Map<Long, ThreadTime> selfThreads = threads(selfPid);
            long hostTicks = processTicks(hostPid);
            long selfTicks = processTicks(selfPid);
            long[] machineBefore = machineTicks();
            long started = System.nanoTime();
            return () -> {
                sample();
                double seconds = (System.nanoTime() - started) / 1e9;
                long[] machineAfter = machineTicks();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("host", process(hostPid, hostStartKb, hostPeakKb, hostTicks, hostThreads, seconds));
                out.put("client", process(selfPid, selfStartKb, selfPeakKb, selfTicks, selfThreads, seconds));
                long busy = machineAfter[0] - machineBefore[0];
                long all = machineAfter[1] - machineBefore[1];
                out.put(
                        "machineCpuPct",
                        all > 0
                                ? round(
                                        100.0
                                                * busy
                                                / all
                                                * Runtime.getRuntime().availableProcessors(),
                                        0)
                                : null);
                out.put("cores", Runtime.getRuntime().availableProcessors());
                out.put("rssSamples", samples);
                return out;
            };
        }

        private Map<String, Object> process(
                long pid, long startKb, long peakKb, long ticksBefore, Map<Long, ThreadTime> before, double seconds) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rssStartMB", round(startKb / 1024.0, 1));
            out.put("rssPeakMB", round(peakKb / 1024.0, 1));
            out.put("rssGrowthMB", round((peakKb - startKb) / 1024.0, 1));
            out.put("hwmMB", round(status(pid, "VmHWM") / 1024.0, 1));
            double cpuSeconds = (double) (processTicks(pid) - ticksBefore) / TICKS_PER_SECOND;
            out.put("cpuPct", round(100.0 * cpuSeconds / seconds, 0));
            out.put("cpuSeconds", round(cpuSeconds, 2));
            // The busiest threads, by name, in % of one core: is one of them the ceiling?
            Map<String, Long> byName = new HashMap<>();
            threads(pid).forEach((tid, now) -> {
                ThreadTime then = before.get(tid);
                long used = now.ticks() - (then == null ? 0 : then.ticks());
                byName.merge(now.name().replaceAll("-?\\d+$", "-N"), used, Long::sum);
            });
            List<Map<String, Object>> busiest = new ArrayList<>();
            byName.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(6)
                    .filter(e -> e.getValue() > 0)
                    .forEach(e -> {
                        Map<String, Object> thread = new LinkedHashMap<>();
                        thread.put("thread", e.getKey());
                        thread.put("cpuPct", round(100.0 * e.getValue() / TICKS_PER_SECOND / seconds, 0));
                        busiest.add(thread);
                    });
            out.put("busiestThreads", busiest);
            return out;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private record ThreadTime(String name, long ticks) {}

    /** A field of {@code /proc/<pid>/status} in kB, or 0 once the process is gone. */
    private static long status(long pid, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** utime + stime of a {@code /proc/.../stat} line; the name in parentheses may hold spaces. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long processTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Map<Long, ThreadTime> threads(long pid) {
        Map<Long, ThreadTime> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    out.put(Long.parseLong(task.getFileName().toString()), new ThreadTime(name, ticks(stat)));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // gone
        }
        return out;
    }

    /** Busy and total jiffies of the whole machine (busy = all but idle and iowait). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    // ---- small things ----

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static void waitFor(BooleanSupplier condition, long deadline, String what) throws Exception {
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
