package app.parley.engine;

import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What netty-socketio sends a client, as Socket.IO v5 packets in Engine.IO frames: the text packet,
 * then any binary attachments ({@link SocketIoEndpoint} queues them on the session).
 */
final class SocketIoEncoder {
    /**
     * The last packet this thread encoded. netty-socketio broadcasts one {@link Packet} object to
     * every recipient in turn, so a room of a thousand costs one JSON encoding, not a thousand; the
     * frames are immutable and shared by every recipient's outbox. The ack id is compared too:
     * a broadcast with acks numbers the same packet once per recipient.
     */
    private static final ThreadLocal<Encoded> LAST_ENCODED = new ThreadLocal<>();

    private record Encoded(Packet packet, String nsp, Long ackId, List<EngineFrame> frames) {
        boolean isFor(Packet other, String otherNsp) {
            return packet == other && nsp.equals(otherNsp) && java.util.Objects.equals(ackId, other.getAckId());
        }
    }

    private final JsonSupport json;

    SocketIoEncoder(JsonSupport json) {
        this.json = json;
    }

    List<EngineFrame> encodeShared(Packet packet) {
        String nsp = packet.getNsp() == null ? "" : packet.getNsp();
        Encoded last = LAST_ENCODED.get();
        if (last != null && last.isFor(packet, nsp)) {
            return last.frames();
        }
        List<EngineFrame> frames = encode(packet);
        LAST_ENCODED.set(new Encoded(packet, nsp, packet.getAckId(), frames));
        return frames;
    }

    /** The Engine.IO packets for one netty-socketio packet: the text, then any binary attachments. */
    private List<EngineFrame> encode(Packet packet) {
        PacketType type = packet.getSubType();
        String nsp = packet.getNsp() == null ? "" : packet.getNsp();
        Object payload;
        switch (type) {
            case EVENT, BINARY_EVENT -> {
                List<Object> values = new ArrayList<>();
                values.add(packet.getName());
                List<Object> data = packet.getData();
                if (data != null) {
                    // The offset goes only to sockets that may recover, added per recipient (withOffset).
                    values.addAll(RecoveryOffset.in(data) == null ? data : data.subList(0, data.size() - 1));
                }
                payload = values;
            }
            case ACK, BINARY_ACK -> {
                List<Object> data = packet.getData();
                payload = data == null ? List.of() : data;
            }
            case ERROR ->
                payload = packet.getData() instanceof String text ? Map.of("message", text) : packet.getData();
            case CONNECT -> payload = packet.getData();
            default -> payload = null;
        }
        if (payload == null) {
            return List.of(EngineFrame.text(header(type, nsp, packet.getAckId())));
        }
        Written written = write(payload);
        if (written.attachments().isEmpty()) {
            return List.of(EngineFrame.text(header(type, nsp, packet.getAckId()) + written.text()));
        }
        PacketType binaryType = (type == PacketType.ACK || type == PacketType.BINARY_ACK)
                ? PacketType.BINARY_ACK
                : PacketType.BINARY_EVENT;
        List<EngineFrame> frames = new ArrayList<>();
        frames.add(EngineFrame.text(
                "4" + binaryType.getValue() + written.attachments().size() + "-"
                        + header(binaryType, nsp, packet.getAckId()).substring(2) + written.text()));
        for (byte[] attachment : written.attachments()) {
            frames.add(EngineFrame.binary(attachment));
        }
        return frames;
    }

    /**
     * The last frames this thread gave an offset to. A message broadcast to a room carries one
     * offset for every recipient, so its frames with the offset are made once and shared as the
     * frames without are ({@link #LAST_ENCODED}); made per recipient, they cost a copy of the text
     * and its UTF-8 encoding for each.
     */
    private static final ThreadLocal<WithOffset> LAST_WITH_OFFSET = new ThreadLocal<>();

    private record WithOffset(List<EngineFrame> frames, String offset, List<EngineFrame> result) {}

    /**
     * An event's frames with {@code offset} as its last argument: the first frame's JSON array ends
     * with {@code ]}, and the offset goes in front of it (the other frames stay shared).
     */
    static List<EngineFrame> withOffset(List<EngineFrame> frames, String offset) {
        WithOffset last = LAST_WITH_OFFSET.get();
        if (last != null && last.frames() == frames && last.offset().equals(offset)) {
            return last.result();
        }
        String text = frames.get(0).text();
        String quoted = quoted(offset);
        String joined = text.endsWith("[]")
                ? text.substring(0, text.length() - 1) + quoted + "]"
                : text.substring(0, text.length() - 1) + "," + quoted + "]";
        List<EngineFrame> out = new ArrayList<>(frames);
        out.set(0, EngineFrame.text(joined));
        List<EngineFrame> result = List.copyOf(out);
        LAST_WITH_OFFSET.set(new WithOffset(frames, offset, result));
        return result;
    }

    /** An offset as a JSON string: digits as they are, anything else through Jackson. */
    private static String quoted(String offset) {
        if (!offset.isEmpty() && offset.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "\"" + offset + "\"";
        }
        try {
            return JSON.writeValueAsString(offset);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Could not encode the offset", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** {@code 4} + packet type + namespace (when not the main one) + ack id. */
    static String header(PacketType type, String nsp, Long ackId) {
        StringBuilder out = new StringBuilder("4").append(type.getValue());
        if (!nsp.isEmpty() && !"/".equals(nsp)) {
            out.append(nsp).append(',');
        }
        if (ackId != null) {
            out.append(ackId);
        }
        return out.toString();
    }

    record Written(String text, List<byte[]> attachments) {}

    /** JSON through the library's JsonSupport, which turns byte arrays into attachment placeholders. */
    Written write(Object value) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            json.writeValue(new ByteBufOutputStream(buffer), value);
            List<byte[]> arrays = new ArrayList<>(json.getArrays());
            return new Written(buffer.toString(StandardCharsets.UTF_8), arrays);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not encode " + value, e);
        } finally {
            buffer.release();
        }
    }
}
