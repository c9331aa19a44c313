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
            // A binary attachment is part of the event that announced it (at most 10 each, checked
            // by the endpoint), so only the event counts: a file's chunk is one packet, not two,
            // and a long upload is not cut as a flood at half the rate of its events.
            if (!packet.isBinary() && !session.admitPacket()) {
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
