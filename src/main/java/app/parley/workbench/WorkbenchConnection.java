package app.parley.workbench;

import app.parley.join.patch.CloseReplies;
import app.parley.workbench.LogEntry.Direction;
import app.parley.workbench.LogEntry.Kind;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.json.JSONObject;

/**
 * One workbench connection to any Socket.IO v4 server: every event in and out, every ack and
 * every connect, disconnect and refusal becomes a {@link LogEntry} handed to the sink, on the
 * library's threads (the sink must not block). No UI here; the workbench window builds on it.
 *
 * <pre>{@code
 * WorkbenchConnection c = WorkbenchConnection.open(spec, entry -> queue.add(entry));
 * c.connect();
 * c.emit("echo-ack", List.of(Map.of("a", 1)), Duration.ofSeconds(5)); // logs the answer and its RTT
 * }</pre>
 */
public final class WorkbenchConnection implements AutoCloseable {
    /** Names the library refuses to emit (it throws): said here, before the socket is asked. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final ConnectionSpec spec;
    private final Consumer<LogEntry> sink;
    private final OkHttpClient http;
    private final Socket socket;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger replyIds = new AtomicInteger();
    /** The server's events that wait for an answer, by the id their log entry shows. */
    private final Map<Integer, Ack> awaitingReply = new ConcurrentHashMap<>();
    /** Events answered at once with a fixed reply, by event name. */
    private final Map<String, List<Object>> autoReplies = new ConcurrentHashMap<>();

    private WorkbenchConnection(ConnectionSpec spec, Consumer<LogEntry> sink) {
        this.spec = spec;
        this.sink = sink;
        this.http = new OkHttpClient.Builder()
                .readTimeout(1, TimeUnit.MINUTES)
                .connectTimeout(spec.timeoutMs(), TimeUnit.MILLISECONDS)
                .build();
        this.socket = IO.socket(spec.socketUri(), options());
        listen();
    }

    /**
     * A connection built from {@code spec}, not yet connected.
     *
     * @throws IllegalArgumentException listing {@link ConnectionSpec#problems()}
     */
    public static WorkbenchConnection open(ConnectionSpec spec, Consumer<LogEntry> sink) {
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new WorkbenchConnection(spec, sink);
    }

    public ConnectionSpec spec() {
        return spec;
    }

    public void connect() {
        socket.connect();
    }

    /** Leaves the namespace; {@link #connect()} comes back. */
    public void disconnect() {
        socket.disconnect();
    }

    public boolean connected() {
        return socket.connected();
    }

    /** The socket id the server gave, or null while not connected. */
    public String id() {
        return socket.id();
    }

    /**
     * Sends {@code event} with {@code args} (plain values; {@code {"_binary": "<base64>"}} or a
     * {@code byte[]} goes as binary). With an {@code ackTimeout} the server's answer is logged as
     * {@link Kind#ACK} with its round-trip time, or {@link Kind#ACK_TIMEOUT} when none came in time
     * (an answer after that is still logged, as late).
     *
     * @param ackTimeout null to ask for no ack
     * @throws IllegalStateException while not connected (the library would hold it until a reconnect)
     */
    public void emit(String event, List<Object> args, Duration ackTimeout) {
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("The event needs a name");
        }
        if (RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is reserved: the client library sends it itself");
        }
        if (!socket.connected()) {
            throw new IllegalStateException("Not connected");
        }
        Object[] wire = args.stream().map(Payloads::toWire).toArray();
        if (ackTimeout == null) {
            socket.emit(event, wire);
            return;
        }
        long started = System.nanoTime();
        AtomicBoolean settled = new AtomicBoolean();
        socket.emit(event, wire, answer -> {
            long rtt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            boolean inTime = settled.compareAndSet(false, true);
            log(
                    Direction.IN,
                    Kind.ACK,
                    event,
                    plain(answer),
                    rtt,
                    -1,
                    inTime ? "" : "late: after the " + ackTimeout.toMillis() + " ms timeout");
        });
        CompletableFuture.delayedExecutor(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (settled.compareAndSet(false, true)) {
                        log(
                                Direction.STATE,
                                Kind.ACK_TIMEOUT,
                                event,
                                List.of(),
                                -1,
                                -1,
                                "no ack within " + ackTimeout.toMillis() + " ms");
                    }
                });
    }

    /** Sends again what {@code entry} sent (an outgoing event), with the same ack timeout choice. */
    public void resend(LogEntry entry, Duration ackTimeout) {
        if (!entry.resendable()) {
            throw new IllegalArgumentException("Only events sent from here can be sent again");
        }
        emit(entry.event(), entry.args(), ackTimeout);
    }

    /**
     * Answers the server's event logged with {@code replyId} ({@link LogEntry#replyId()}).
     *
     * @return false when it was answered already or there is no such event
     */
    public boolean reply(int replyId, List<Object> args) {
        Ack ack = awaitingReply.remove(replyId);
        if (ack == null) {
            return false;
        }
        ack.call(args.stream().map(Payloads::toWire).toArray());
        return true;
    }

    /** From now on, answers every {@code event} that asks for an ack with {@code reply} at once. */
    public void autoReply(String event, List<Object> reply) {
        autoReplies.put(
                event,
                List.copyOf(
                        reply.stream().map(v -> v == null ? JSONObject.NULL : v).toList()));
    }

    public void stopAutoReply(String event) {
        autoReplies.remove(event);
    }

    @Override
    public void close() {
        socket.off();
        socket.offAnyIncoming();
        socket.offAnyOutgoing();
        socket.io().off();
        socket.close();
        awaitingReply.clear();
        // Leaving sends its packets on the HTTP client's threads: let them go before those stop.
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
    }

    private IO.Options options() {
        Map<String, Object> auth = new LinkedHashMap<>();
        JsonInput.object(spec.auth()).forEach((k, v) -> auth.put(k, Payloads.toWire(v)));
        // The library types auth as Map<String, String> but hands it whole to org.json's
        // JSONObject(Map), which keeps JSONObject and JSONArray values as they are: nested objects
        // reach the server as objects (WorkbenchConnectionTest checks it on a Node server).
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> authAsTheLibraryTypesIt = (Map) auth;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonInput.flatObject(spec.headers()).forEach((k, v) -> headers.put(k, List.of(v)));
        IO.Options io = IO.Options.builder()
                .setForceNew(true)
                .setMultiplex(false)
                .setPath(spec.path().strip())
                .setQuery(query(JsonInput.flatObject(spec.query())))
                .setExtraHeaders(headers)
                .setTransports(spec.transports().names().toArray(String[]::new))
                .setReconnection(spec.reconnection())
                .setReconnectionDelay(spec.reconnectDelayMs())
                .setReconnectionAttempts(spec.reconnectAttempts() == 0 ? Integer.MAX_VALUE : spec.reconnectAttempts())
                .setTimeout(spec.timeoutMs())
                .setAuth(authAsTheLibraryTypesIt)
                .build();
        io.callFactory = http;
        io.webSocketFactory = CloseReplies.around(http);
        return io;
    }

    private static String query(Map<String, String> query) {
        if (query.isEmpty()) {
            return null;
        }
        List<String> pairs = new ArrayList<>();
        query.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
        return String.join("&", pairs);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void listen() {
        socket.on(
                Socket.EVENT_CONNECT,
                a -> log(Direction.STATE, Kind.CONNECT, "connect", List.of(), -1, -1, "connected as " + socket.id()));
        socket.on(
                Socket.EVENT_DISCONNECT,
                a -> log(
                        Direction.STATE,
                        Kind.DISCONNECT,
                        "disconnect",
                        List.of(),
                        -1,
                        -1,
                        a.length > 0 ? String.valueOf(a[0]) : ""));
        socket.on(
                Socket.EVENT_CONNECT_ERROR,
                a -> log(
                        Direction.STATE,
                        Kind.CONNECT_ERROR,
                        "connect_error",
                        a.length > 0 ? List.of(errorDetail(a[0])) : List.of(),
                        -1,
                        -1,
                        a.length > 0 ? errorMessage(a[0]) : "refused"));
        socket.io()
                .on(
                        Manager.EVENT_RECONNECT_ATTEMPT,
                        a -> log(
                                Direction.STATE,
                                Kind.CONNECT,
                                "reconnect_attempt",
                                List.of(),
                                -1,
                                -1,
                                "reconnecting, attempt " + (a.length > 0 ? a[0] : "?")));
        socket.io()
                .on(
                        Manager.EVENT_RECONNECT_FAILED,
                        a -> log(
                                Direction.STATE,
                                Kind.CONNECT_ERROR,
                                "reconnect_failed",
                                List.of(),
                                -1,
                                -1,
                                "gave up reconnecting"));
        socket.onAnyIncoming(this::incoming);
        socket.onAnyOutgoing(a -> {
            List<Object> args = plain(a);
            String event = args.isEmpty() ? "" : String.valueOf(args.remove(0));
            log(Direction.OUT, Kind.EVENT, event, args, -1, -1, "");
        });
    }

    /** {@code [event, args…, ack?]}: the library puts the answer callback last when the server wants one. */
    private void incoming(Object... raw) {
        List<Object> all = new ArrayList<>(Arrays.asList(raw));
        Ack ack = !all.isEmpty() && all.get(all.size() - 1) instanceof Ack a ? a : null;
        if (ack != null) {
            all.remove(all.size() - 1);
        }
        String event = all.isEmpty() ? "" : String.valueOf(all.remove(0));
        List<Object> args = all.stream().map(Payloads::toPlain).toList();
        List<Object> automatic = ack == null ? null : autoReplies.get(event);
        if (ack == null || automatic != null) {
            log(Direction.IN, Kind.EVENT, event, args, -1, -1, ack == null ? "" : "answered by the auto-reply");
            if (automatic != null) {
                ack.call(automatic.stream().map(Payloads::toWire).toArray());
                log(Direction.OUT, Kind.ACK_REPLY, event, plainList(automatic), -1, -1, "auto-reply");
            }
            return;
        }
        int id = replyIds.incrementAndGet();
        // The reply is logged as it leaves, so the log shows what the server got.
        awaitingReply.put(id, replyArgs -> {
            ack.call(replyArgs);
            log(Direction.OUT, Kind.ACK_REPLY, event, plain(replyArgs), -1, id, "reply to #" + id);
        });
        log(Direction.IN, Kind.EVENT, event, args, -1, id, "waits for an answer (#" + id + ")");
    }

    private void log(
            Direction direction, Kind kind, String event, List<Object> args, long rtt, int replyId, String note) {
        sink.accept(new LogEntry(
                seq.incrementAndGet(),
                Instant.now(),
                direction,
                kind,
                spec.namespace().strip(),
                event,
                args,
                rtt,
                replyId,
                note));
    }

    private static List<Object> plain(Object[] values) {
        List<Object> list = new ArrayList<>(values.length);
        for (Object value : values) {
            list.add(Payloads.toPlain(value));
        }
        return list;
    }

    private static List<Object> plainList(List<Object> values) {
        return plain(values.toArray());
    }

    private static String errorMessage(Object error) {
        if (error instanceof JSONObject json) {
            return json.optString("message", json.toString());
        }
        if (error instanceof Throwable t) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        return String.valueOf(error);
    }

    private static Object errorDetail(Object error) {
        return error instanceof Throwable ? errorMessage(error) : Payloads.toPlain(error);
    }
}
