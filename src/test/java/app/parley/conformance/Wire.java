package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/** What both suites share: the server configuration they assume, bounded waits, Engine.IO basics. */
final class Wire {
    /** The server configuration both official suites assume. */
    static final int PING_INTERVAL = 300;

    static final int PING_TIMEOUT = 200;
    static final int MAX_PAYLOAD = 1_000_000;

    /** The bound for any single answer (a message, a response, a close). */
    static final Duration WAIT = Duration.ofSeconds(3);
    /**
     * The official suites wait a few milliseconds (5 ms) so a first request is on the server before a
     * second one; raw sockets on a loaded machine get more room, still far below the ping interval.
     */
    static final long SETTLE_MILLIS = 50;
    /** Slack added to a wait that must outlast a server timer (the suites wait for the timer exactly). */
    static final long TIMER_SLACK_MILLIS = 150;

    /** The Engine.IO packets a check must not mistake for an answer. */
    static final String PING = "2";

    static final String PONG = "3";

    private Wire() {}

    /** {@code base} (http://host:port) with scheme ws and {@code pathAndQuery} appended. */
    static URI ws(URI base, String pathAndQuery) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + base.getRawAuthority() + pathAndQuery);
    }

    /**
     * Opens and closes one WebSocket to the engine's {@code /engine.io/} endpoint. The suites'
     * timings are tight (a ping every 300 ms) and a cold WebSocket client takes longer than that
     * to open its first connection and read its first frames; after this, timings are the server's.
     */
    static void warmUpWebSocketClient(URI base) {
        try (RawWebSocket warmUp = RawWebSocket.open(ws(base, "/engine.io/?EIO=4&transport=websocket"))) {
            warmUp.next(WAIT);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Opens an HTTP long-polling session at {@code path} ("/engine.io/") and returns its sid. */
    static String initLongPollingSession(URI base, String path) throws Exception {
        String request = path + "?EIO=4&transport=polling";
        RawHttp.Response response = RawHttp.once(base, "GET", request, null);
        assertThat(response.status())
                .as("GET %s answered %s", request, response)
                .isEqualTo(200);
        JSONObject open = parseOpenPacket(response.body());
        Object sid = open.opt("sid");
        assertThat(sid)
                .as("sid in the handshake %s", Wire.printable(response.body()))
                .isInstanceOf(String.class);
        return (String) sid;
    }

    /** The query string of a polling request for session {@code sid} at {@code path}. */
    static String polling(String path, String sid) {
        return path + "?EIO=4&transport=polling&sid=" + encode(sid);
    }

    /** The JSON object of an Engine.IO OPEN packet ("0{...}"). */
    static JSONObject parseOpenPacket(String content) {
        assertThat(content).as("the handshake packet").startsWith("0");
        try {
            return new JSONObject(content.substring(1));
        } catch (JSONException e) {
            throw new AssertionError("the handshake packet's payload is not a JSON object: \"" + printable(content)
                    + "\" (" + e.getMessage() + ")");
        }
    }

    /** Checks an OPEN packet: exactly the five keys, a string sid, the expected upgrades and timings. */
    static void assertOpenPacket(String content, List<String> upgrades) {
        JSONObject value = parseOpenPacket(content);
        String shown = printable(content);
        assertThat(value.keySet())
                .as("keys of the handshake %s", shown)
                .containsExactlyInAnyOrderElementsOf(
                        Set.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"));
        assertThat(value.get("sid")).as("sid of the handshake %s", shown).isInstanceOf(String.class);
        Object upgradesValue = value.get("upgrades");
        assertThat(upgradesValue).as("upgrades of the handshake %s", shown).isInstanceOf(JSONArray.class);
        List<Object> actualUpgrades = new ArrayList<>(((JSONArray) upgradesValue).toList());
        assertThat(actualUpgrades)
                .as("upgrades of the handshake %s", shown)
                .containsExactlyElementsOf(new ArrayList<>(upgrades));
        assertNumber(value, "pingInterval", PING_INTERVAL, shown);
        assertNumber(value, "pingTimeout", PING_TIMEOUT, shown);
        assertNumber(value, "maxPayload", MAX_PAYLOAD, shown);
    }

    private static void assertNumber(JSONObject value, String key, long expected, String shown) {
        Object actual = value.get(key);
        assertThat(actual).as("%s of the handshake %s", key, shown).isInstanceOf(Number.class);
        assertThat(((Number) actual).doubleValue())
                .as("%s of the handshake %s", key, shown)
                .isEqualTo((double) expected);
    }

    /** Checks a Socket.IO CONNECT answer's payload: exactly one key, a string "sid". */
    static void assertConnectPayload(String json, String packet) {
        JSONObject handshake;
        try {
            handshake = new JSONObject(json);
        } catch (JSONException e) {
            throw new AssertionError(
                    "the CONNECT answer's payload is not a JSON object: \"" + printable(packet) + "\"");
        }
        assertThat(handshake.keySet())
                .as("keys of the CONNECT answer %s", printable(packet))
                .containsExactly("sid");
        assertThat(handshake.get("sid"))
                .as("sid of the CONNECT answer %s", printable(packet))
                .isInstanceOf(String.class);
    }

    /**
     * The next message that is not an Engine.IO ping; each ping on the way is answered with a pong
     * so a slow check cannot lose its session to the 200 ms ping timeout.
     */
    static RawWebSocket.Frame nextIgnoringPings(RawWebSocket socket) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = socket.next(remaining(deadline));
            } catch (AssertionError e) {
                if (socket.isClosed()) {
                    throw e;
                }
                throw new AssertionError("no message other than pings within " + WAIT.toMillis() + " ms");
            }
            if (frame.isText() && PING.equals(frame.text())) {
                socket.sendText(PONG);
                continue;
            }
            return frame;
        }
    }

    /** {@link #nextIgnoringPings}, which must be text. */
    static String nextTextIgnoringPings(RawWebSocket socket) {
        RawWebSocket.Frame frame = nextIgnoringPings(socket);
        if (!frame.isText()) {
            throw new AssertionError("expected a text message but got " + frame);
        }
        return frame.text();
    }

    /**
     * Waits for the server to end the connection while answering its pings, so the close cannot
     * come from a ping timeout instead of the behaviour under test. Other messages are skipped.
     */
    static RawWebSocket.Closed awaitCloseAnsweringPings(RawWebSocket socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!socket.isClosed()) {
            Duration left = remaining(deadline);
            if (left.isZero()) {
                throw new AssertionError(
                        "connection still open after " + timeout.toMillis() + " ms (pings were answered)");
            }
            RawWebSocket.Frame frame;
            try {
                frame = socket.next(left);
            } catch (AssertionError e) {
                if (socket.isClosed()) {
                    break;
                }
                throw new AssertionError(
                        "connection still open after " + timeout.toMillis() + " ms (pings were answered)");
            }
            if (frame.isText() && PING.equals(frame.text()) && !socket.isClosed()) {
                try {
                    socket.sendText(PONG);
                } catch (AssertionError e) {
                    // closed meanwhile: that is what we are waiting for
                }
            }
        }
        return socket.closedHow();
    }

    /** Exact equality, with control characters (the \x1e packet separator) visible in the failure. */
    static void assertPayload(String actual, String expected, String what) {
        if (!expected.equals(actual)) {
            throw new AssertionError(
                    "[" + what + "] expected: \"" + printable(expected) + "\" but was: \"" + printable(actual) + "\"");
        }
    }

    /**
     * The next {@code count} messages that are not pings (answered on the way, as in
     * {@link #nextIgnoringPings}); a failure lists what did arrive.
     */
    static List<RawWebSocket.Frame> nextPackets(RawWebSocket socket, int count, String what) {
        List<RawWebSocket.Frame> frames = new ArrayList<>();
        try {
            while (frames.size() < count) {
                frames.add(nextIgnoringPings(socket));
            }
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + " (wanted " + count + " messages for " + what + ", got " + frames.size() + ": "
                            + frames + ")",
                    e);
        }
        return frames;
    }

    static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** {@code text} for a message: control characters escaped (\x1e is the record separator), long text cut. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= 300) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
