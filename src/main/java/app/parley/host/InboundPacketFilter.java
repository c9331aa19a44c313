package app.parley.host;

import app.parley.engine.EngineSessionTag;
import app.parley.engine.PollingAnswers;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses binary packets with a clear error to the sender, before netty-socketio decodes them.
 * netty-socketio 2.0.14 mangles binary for v4 clients (upstream issue #940: handlers see base64
 * text, sent buffers gain a 0x04 byte on websocket and break on polling), so the chat does not
 * pretend to carry it: bytes travel as base64 text (docs/PROTOCOL.md).
 *
 * <p>On websocket, a {@code 45…}/{@code 46…} text frame is answered and dropped, and every binary
 * frame (only ever an attachment) is dropped. On polling, those records and {@code b…} attachment
 * records are cut out of the POST body; the rest of the body goes on as usual.
 */
@ChannelHandler.Sharable
final class InboundPacketFilter extends ChannelInboundHandlerAdapter {
    static final String REASON = "binary attachments are not supported by this host; send bytes as base64 text";
    /** {@code 45<n>-} or {@code 46<n>-}, an optional namespace, an optional ack id, then the JSON. */
    private static final Pattern BINARY_PACKET = Pattern.compile("^4([56])\\d+-(?:(/[^,]*),)?(\\d*)\\[(?:\"([^\"]*)\")?");
    private static final char RECORD_SEPARATOR = '\u001e';

    private final Function<UUID, SocketIOClient> clients;

    InboundPacketFilter(Function<UUID, SocketIOClient> clients) {
        this.clients = clients;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame frame && startsBinaryPacket(frame.content())) {
            String text = frame.text();
            ReferenceCountUtil.release(msg);
            refuse(EngineSessionTag.websocketSid(ctx), text);
            return;
        }
        if (msg instanceof FullHttpRequest request && HttpMethod.POST.equals(request.method())
                && "polling".equals(EngineSessionTag.param(request, "transport"))
                && filterPollingBody(ctx, request, EngineSessionTag.param(request, "sid"))) {
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** @return true when nothing of the body was left and the POST has been answered here */
    private boolean filterPollingBody(ChannelHandlerContext ctx, FullHttpRequest request, String sid) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        boolean changed = false;
        for (String record : body.split(String.valueOf(RECORD_SEPARATOR), -1)) {
            String keptRecord = record;
            if (record.startsWith("45") || record.startsWith("46")) {
                refuse(sid, record);
                keptRecord = null;
                changed = true;
            } else if (record.startsWith("b")) {
                keptRecord = null;
                changed = true;
            }
            if (keptRecord != null) {
                kept.append(kept.length() == 0 ? "" : String.valueOf(RECORD_SEPARATOR)).append(keptRecord);
            }
        }
        if (!changed) {
            return false;
        }
        if (kept.length() == 0) {
            PollingAnswers.answer(ctx, request, "ok");
            return true;
        }
        byte[] bytes = kept.toString().getBytes(StandardCharsets.UTF_8);
        request.content().clear().writeBytes(bytes);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return false;
    }

    private void refuse(String sid, String packet) {
        SocketIOClient client = clientFor(sid);
        Matcher m = BINARY_PACKET.matcher(packet);
        if (client == null || !m.find() || !"5".equals(m.group(1))) {
            return; // a binary ack (46) answers the host, which never asks for binary: just drop it
        }
        String event = m.group(4) == null ? "binary" : m.group(4);
        Object refusal = WireCodec.refused(event, REASON);
        if (!m.group(3).isEmpty()) {
            Packet ack = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
            ack.setSubType(PacketType.ACK);
            ack.setNsp(m.group(2) == null ? "" : m.group(2));
            ack.setAckId(Long.parseLong(m.group(3)));
            ack.setData(List.of(refusal));
            client.send(ack);
        } else {
            client.sendEvent(ChatEvents.ERROR, refusal);
        }
    }

    private SocketIOClient clientFor(String sid) {
        try {
            return sid == null ? null : clients.apply(UUID.fromString(sid));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean startsBinaryPacket(ByteBuf content) {
        int i = content.readerIndex();
        return content.readableBytes() >= 2 && content.getByte(i) == '4'
                && (content.getByte(i + 1) == '5' || content.getByte(i + 1) == '6');
    }
}
