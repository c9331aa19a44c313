package app.parley.engine;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO v4 server: its sessions, the endpoints on top (paths), the open packet, and the
 * handling of every packet a client sends, whichever transport carried it.
 */
final class EngineServer {
    /** An attachment this big or bigger is not counted as a packet ({@link #countsAsPacket}). */
    static final int BULK_ATTACHMENT = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EngineServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The start of the reason a flooding client is disconnected with. */
    static final String TOO_FAST = "too many packets (at most ";

    private final EngineSettings settings;
    private final EngineLimits limits;
    private final Map<String, EngineEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();

    EngineServer(EngineSettings settings) {
        this.settings = settings;
        this.limits = settings.limits();
    }

    EngineSettings settings() {
        return settings;
    }

    void addEndpoint(String path, EngineEndpoint endpoint) {
        endpoints.put(path.endsWith("/") ? path : path + "/", endpoint);
    }

    EngineEndpoint endpoint(String path) {
        return endpoints.get(path);
    }

    EngineSession session(String sid) {
        return sessions.get(sid);
    }

    int sessionCount() {
        return sessions.size();
    }

    /** Set while the server stops: no new session is opened, so clients go elsewhere. */
    private volatile boolean refusing;

    /** From now on handshakes are answered 503: a client retries, through its proxy, on another server. */
    void refuseNewSessions() {
        refusing = true;
    }

    boolean refusesNewSessions() {
        return refusing;
    }

    /** A new session; its open packet is for the caller to send. */
    EngineSession open(
            Channel channel,
            FullHttpRequest request,
            EngineEndpoint endpoint,
            EngineSession.Transport transport,
            Map<String, List<String>> params) {
        String sid = newSid();
        EngineSession session = new EngineSession(
                sid,
                transport,
                endpoint,
                settings,
                channel.eventLoop(),
                String.valueOf(channel.remoteAddress()),
                closed -> sessions.remove(closed.sid(), closed));
        sessions.put(sid, session);
        endpoint.onOpen(session, request, channel, params);
        session.startHeartbeat();
        return session;
    }

    String openPacket(EngineSession session, boolean canUpgrade) {
        return "0{\"sid\":\"" + session.sid() + "\",\"upgrades\":" + (canUpgrade ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + settings.pingIntervalMillis() + ",\"pingTimeout\":"
                + settings.pingTimeoutMillis() + ",\"maxPayload\":" + settings.maxPayload() + "}";
    }

    /**
     * Handles packets a client sent.
     *
     * @param websocket the WebSocket they came on, or null for a polling POST
     * @return null, or why the packets break the protocol (the caller closes the session)
     */
    String receive(EngineSession session, List<EngineFrame> packets, Channel websocket) {
        for (EngineFrame packet : packets) {
            if (session.isClosed()) {
                return null;
            }
            if (countsAsPacket(packet) && !session.admitPacket()) {
                return TOO_FAST + limits.packetsPerSecond() + " a second, bursts of " + limits.packetBurst() + ")";
            }
            try {
                if (packet.isBinary()) {
                    session.endpoint().onMessage(session, packet);
                    continue;
                }
                String text = packet.text();
                if (text.isEmpty()) {
                    return "empty packet";
                }
                switch (text.charAt(0)) {
                    case '1' -> {
                        if (text.length() > 1) {
                            return "close packet with data";
                        }
                        if (websocket == null) {
                            session.closeByPollingClient();
                        } else {
                            session.close("client close", EngineSession.Farewell.NOOP);
                        }
                    }
                    case '2' -> session.send(EngineFrame.text("3" + text.substring(1)));
                    case '3' -> session.onPong();
                    case '4' -> session.endpoint().onMessage(session, EngineFrame.text(text.substring(1)));
                    case '5' -> {} // upgrade outside a probe: nothing to do
                    case '6' -> {}
                    default -> {
                        return "unknown Engine.IO packet type " + text.charAt(0);
                    }
                }
            } catch (SocketIoPacket.Malformed e) {
                return e.getMessage();
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "packet handler failures")
                        .failure(e, "Session {}: a packet handler failed", session.sid());
            }
        }
        return null;
    }

    /**
     * Whether {@code packet} takes from its session's packet budget. An event announcing binary
     * attachments (at most 10, exactly as announced: the endpoint checks) is paid for by them, and
     * an attachment of {@link #BULK_ATTACHMENT} bytes or more is free: what such packets cost is
     * their bytes, which the connection's speed bounds, not their number. So a file's chunks of
     * 64 KiB or more are never cut as a flood however fast the link, while small ones (at a
     * transfer's start, on slow links) count as any packet does.
     */
    static boolean countsAsPacket(EngineFrame packet) {
        if (packet.isBinary()) {
            return packet.binary().length < BULK_ATTACHMENT;
        }
        return announcedAttachments(packet.text()) == 0;
    }

    /** Attachments a {@code 45}/{@code 46} (binary event or ack) packet announces; 0 for any other or a malformed count. */
    private static int announcedAttachments(String text) {
        if (text.length() < 4 || text.charAt(0) != '4' || (text.charAt(1) != '5' && text.charAt(1) != '6')) {
            return 0;
        }
        int count = 0;
        for (int i = 2; i < Math.min(text.length(), 5); i++) {
            char c = text.charAt(i);
            if (c == '-') {
                return count;
            }
            if (c < '0' || c > '9') {
                return 0;
            }
            count = count * 10 + (c - '0');
        }
        return 0;
    }

    /** Ends every session (server stop). */
    void closeAll() {
        for (EngineSession session : List.copyOf(sessions.values())) {
            session.close("server shutting down", EngineSession.Farewell.CLOSE);
        }
    }

    private static String newSid() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
