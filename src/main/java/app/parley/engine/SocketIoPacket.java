package app.parley.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One Socket.IO v5 packet as a client sent it (the text after the Engine.IO {@code 4}), parsed
 * strictly: anything the specification does not allow is refused with a reason, so the engine
 * closes the connection instead of guessing (netty-socketio 2.0.14 reads {@code 42abc} as ack id
 * 123 and {@code abc} as a close).
 *
 * @param type        0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 5 BINARY_EVENT, 6 BINARY_ACK
 * @param attachments binary attachments that follow (BINARY_* only)
 * @param namespace   {@code /} or {@code /name}
 * @param ackId       the ack id, or -1
 * @param payload     the JSON payload, or null when there is none
 * @param rawPayload  the same payload as the client wrote it
 */
record SocketIoPacket(int type, int attachments, String namespace, long ackId, JsonNode payload, String rawPayload) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID_DIGITS = 15;

    /** Why a packet is refused; the engine logs it and closes the connection. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @param text           the packet without the Engine.IO {@code 4}
     * @param maxAttachments the most binary attachments one packet may announce
     */
    static SocketIoPacket parse(String text, int maxAttachments) throws Malformed {
        if (text.isEmpty()) {
            throw new Malformed("empty Socket.IO packet");
        }
        int type = text.charAt(0) - '0';
        if (type < 0 || type > 6) {
            throw new Malformed("unknown Socket.IO packet type " + quote(text.substring(0, 1)));
        }
        if (type == CONNECT_ERROR) {
            throw new Malformed("CONNECT_ERROR is sent by servers only");
        }
        int i = 1;
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int start = i;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == start || i >= text.length() || text.charAt(i) != '-' || i - start > 6) {
                throw new Malformed("binary packet without a valid attachment count");
            }
            attachments = Integer.parseInt(text.substring(start, i));
            i++;
            if (attachments < 1 || attachments > maxAttachments) {
                throw new Malformed("binary packet announces " + attachments + " attachments (1 to " + maxAttachments
                        + " allowed)");
            }
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            if (comma < 0 && type != CONNECT && type != DISCONNECT) {
                throw new Malformed("namespace not followed by a comma");
            }
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        long ackId = -1;
        int digitsStart = i;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        if (i > digitsStart) {
            if (i - digitsStart > MAX_ID_DIGITS) {
                throw new Malformed("ack id too long");
            }
            ackId = Long.parseLong(text.substring(digitsStart, i));
        }
        String rest = text.substring(i);
        JsonNode payload = null;
        if (!rest.isEmpty()) {
            try {
                payload = JSON.readTree(rest);
            } catch (JsonProcessingException e) {
                throw new Malformed("payload is not valid JSON");
            }
        }
        check(type, ackId, payload);
        return new SocketIoPacket(type, attachments, namespace, ackId, payload, rest);
    }

    private static void check(int type, long ackId, JsonNode payload) throws Malformed {
        switch (type) {
            case CONNECT -> {
                if (ackId >= 0 || (payload != null && !payload.isObject())) {
                    throw new Malformed("CONNECT payload must be an object");
                }
            }
            case DISCONNECT -> {
                if (ackId >= 0 || payload != null) {
                    throw new Malformed("DISCONNECT carries no payload");
                }
            }
            case EVENT, BINARY_EVENT -> {
                if (payload == null
                        || !payload.isArray()
                        || payload.isEmpty()
                        || !payload.get(0).isTextual()) {
                    throw new Malformed("EVENT payload must be an array starting with the event name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (ackId < 0 || payload == null || !payload.isArray()) {
                    throw new Malformed("ACK needs an ack id and an array payload");
                }
            }
            default -> throw new Malformed("unknown Socket.IO packet type");
        }
    }

    Optional<String> eventName() {
        return (type == EVENT || type == BINARY_EVENT)
                ? Optional.of(payload.get(0).asText())
                : Optional.empty();
    }

    /** netty-socketio's name for a namespace: the main one is the empty string. */
    String libraryNamespace() {
        return "/".equals(namespace) ? "" : namespace;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
