package app.parley.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of Engine.IO v4: the handshake, long-polling GETs and POSTs, and WebSocket
 * upgrade requests, each checked as the specification says (HTTP 400 with Engine.IO's error codes
 * for a bad {@code EIO}, an unknown transport, a bad method, an unknown session or a transport the
 * session no longer uses). Connections stay open between requests (keep-alive).
 */
@ChannelHandler.Sharable
final class EngineHttp extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(EngineHttp.class);
    /** The name of the pipeline's ChunkedWriteHandler (SocketIoEngine), which streams downloads. */
    static final String CHUNKED_WRITE = "parleyChunkedWrite";

    private final EngineServer server;
    private final boolean anyOrigin;
    /** The files served on every other path, or null when there are none. */
    private final StaticHttp files;
    /** What is streamed under {@code /files/}, or null when nothing is. */
    private final DownloadHttp downloads;

    EngineHttp(EngineServer server) {
        this.server = server;
        this.anyOrigin = server.settings().origins().anyOrigin();
        StaticSite site = server.settings().site();
        boolean tls = server.settings().tls() != null;
        this.files = site == null ? null : new StaticHttp(site, tls);
        Downloads streamed = server.settings().downloads();
        this.downloads = streamed == null ? null : new DownloadHttp(streamed, new StaticHttp(site, tls));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            handle(ctx, request);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path().endsWith("/") ? query.path() : query.path() + "/";
        EngineEndpoint endpoint = server.endpoint(path);
        if (endpoint == null && downloads != null && query.path().startsWith(Downloads.PREFIX)) {
            downloads.handle(ctx, request, query.rawPath());
            return;
        }
        if (endpoint == null && files != null) {
            files.handle(ctx, request);
            return;
        }
        if (endpoint == null) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.NOT_FOUND,
                    "text/plain; charset=UTF-8",
                    "Not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, List<String>> params = query.parameters();
        if (HttpMethod.OPTIONS.equals(request.method())) {
            respondPreflight(ctx, request);
            return;
        }
        if (!"4".equals(first(params, "EIO"))) {
            error(ctx, request, 5, "Unsupported protocol version");
            return;
        }
        String transport = first(params, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            error(ctx, request, 0, "Transport unknown");
            return;
        }
        String sid = first(params, "sid");
        EngineSession session = null;
        if (sid != null) {
            session = server.session(sid);
            if (session == null || !session.endpoint().equals(endpoint)) {
                error(ctx, request, 1, "Session ID unknown");
                return;
            }
        }
        if (session == null && server.refusesNewSessions()) {
            // Stopping: the client's next attempt (its reconnection backs off) reaches another server.
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "application/json",
                    "{\"code\":3,\"message\":\"Server shutting down\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if ("websocket".equals(transport)) {
            webSocket(ctx, request, endpoint, session, params);
        } else if (session == null) {
            if (!HttpMethod.GET.equals(request.method())) {
                error(ctx, request, 2, "Bad handshake method");
                return;
            }
            EngineSession created =
                    server.open(ctx.channel(), request, endpoint, EngineSession.Transport.POLLING, params);
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.OK,
                    "text/plain; charset=UTF-8",
                    server.openPacket(created, true).getBytes(StandardCharsets.UTF_8));
        } else if (session.isUpgraded()) {
            error(ctx, request, 3, "Bad request");
        } else if (HttpMethod.GET.equals(request.method())) {
            poll(ctx, request, session);
        } else if (HttpMethod.POST.equals(request.method())) {
            post(ctx, request, session);
        } else {
            error(ctx, request, 2, "Bad request method");
        }
    }

    /**
     * The last handler: whatever went wrong on this connection ends here, in one rate-limited log
     * line. A peer that drops the connection or sends bytes the codecs refuse (an over-size or
     * malformed frame, a bad request line) is routine and gets no stack trace; anything else does.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof javax.net.ssl.SSLException || root instanceof java.io.IOException) {
            ThrottledLog.info(LOG, "dropped connections")
                    .log("Connection from {} dropped: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else if (cause instanceof io.netty.handler.codec.DecoderException) {
            ThrottledLog.info(LOG, "refused input")
                    .log("Connection from {} closed: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else {
            ThrottledLog.warn(LOG, "connection failures")
                    .failure(cause, "Connection from {} failed", ctx.channel().remoteAddress());
        }
        ctx.close();
    }

    private void poll(ChannelHandlerContext ctx, FullHttpRequest request, EngineSession session) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        Channel channel = ctx.channel();
        boolean accepted = session.poll(channel, new EngineSession.PollingResponder() {
            @Override
            public void respond(byte[] payload) {
                write(channel, keepAlive, origin, HttpResponseStatus.OK, "text/plain; charset=UTF-8", payload);
            }

            @Override
            public void refuse() {
                write(
                        channel,
                        keepAlive,
                        origin,
                        HttpResponseStatus.BAD_REQUEST,
                        "application/json",
                        "{\"code\":3,\"message\":\"Bad request\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        if (!accepted) {
            error(ctx, request, 3, "Bad request");
        }
    }

    /**
     * The bytes of a {@code b} record. socket.io-client-java breaks its base64 into lines of 76
     * (Android's {@code Base64.DEFAULT}), which Node's engine.io reads as it does any base64; so
     * line breaks are skipped here, while anything else outside the alphabet is still refused.
     */
    static byte[] binaryRecord(String record) {
        String base64 = record.substring(1);
        if (base64.indexOf('\n') >= 0 || base64.indexOf('\r') >= 0) {
            base64 = base64.replace("\n", "").replace("\r", "");
        }
        return Base64.getDecoder().decode(base64);
    }

    private void post(ChannelHandlerContext ctx, FullHttpRequest request, EngineSession session) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        List<EngineFrame> packets = new ArrayList<>();
        for (String record : body.split(String.valueOf(EngineFrame.RECORD_SEPARATOR), -1)) {
            if (record.startsWith("b")) {
                try {
                    packets.add(EngineFrame.binary(binaryRecord(record)));
                } catch (IllegalArgumentException e) {
                    packets = null;
                    break;
                }
            } else {
                packets.add(EngineFrame.text(record));
            }
        }
        String failure = packets == null ? "invalid base64 in a binary record" : null;
        if (failure == null) {
            failure = server.receive(session, packets, null);
        }
        if (failure != null) {
            ThrottledLog.info(LOG, "closed sessions")
                    .log("Closing session {} from {}: {}", session.sid(), session.remoteAddress(), failure);
            session.close(failure, EngineSession.Farewell.CLOSE);
            error(ctx, request, 3, "Bad request: " + failure);
            return;
        }
        // Answered after the tasks these packets queued on this loop (the host stores the chat
        // messages an I/O thread read at the end of its turn): the client's next POST may come on
        // another connection, to another loop, and what it carries must not be stored first.
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        ctx.executor()
                .execute(() -> write(
                        ctx.channel(),
                        keepAlive,
                        origin,
                        HttpResponseStatus.OK,
                        "text/html; charset=UTF-8",
                        "ok".getBytes(StandardCharsets.UTF_8)));
    }

    private void webSocket(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            EngineEndpoint endpoint,
            EngineSession session,
            Map<String, List<String>> params) {
        if (!HttpMethod.GET.equals(request.method())
                || !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
            error(ctx, request, 3, "Bad request");
            return;
        }
        Channel channel = ctx.channel();
        boolean intruder = session != null && !session.beginProbe(channel);
        String scheme = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null ? "wss://" : "ws://";
        String location = scheme + request.headers().get(HttpHeaderNames.HOST) + request.uri();
        WebSocketServerHandshaker handshaker = WebSocketFraming.handshakers(
                        location, server.settings().maxPayload())
                .newHandshaker(request);
        if (intruder) {
            // A second WebSocket for a session that has one: as Node does, it opens and is closed
            // at once; the session and its own WebSocket carry on untouched.
            if (handshaker == null) {
                error(ctx, request, 3, "Bad request");
                return;
            }
            handshaker.handshake(channel, request).addListener((ChannelFutureListener)
                    f -> channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                                    1008, "this session already has a WebSocket"))
                            .addListener(ChannelFutureListener.CLOSE));
            return;
        }
        if (handshaker == null) {
            if (session != null) {
                session.onWebSocketClosed(channel);
            }
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            return;
        }
        EngineSession target = session != null
                ? session
                : server.open(channel, request, endpoint, EngineSession.Transport.WEBSOCKET, params);
        if (session == null) {
            target.attachWebSocket(channel);
        }
        WebSocketFraming.install(
                ctx.pipeline(),
                ctx.name(),
                server.settings().maxPayload(),
                new EngineWebSocket(server, target, handshaker));
        ChannelFuture done = handshaker.handshake(channel, request);
        done.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && channel.pipeline().get(CHUNKED_WRITE) != null) {
                // Only HTTP downloads stream through it; every WebSocket frame would otherwise
                // be queued in it and drained again on each flush.
                channel.pipeline().remove(CHUNKED_WRITE);
            }
            if (!f.isSuccess()) {
                target.onWebSocketClosed(channel);
                channel.close();
            } else if (session == null) {
                target.send(EngineFrame.text(server.openPacket(target, false)));
                target.flush();
            }
        });
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest request, int code, String message) {
        String body = "{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "'") + "\"}";
        respond(
                ctx,
                request,
                HttpResponseStatus.BAD_REQUEST,
                "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void respondPreflight(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        cors(response, origin);
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,POST,OPTIONS");
        String asked = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        finish(ctx.channel(), HttpUtil.isKeepAlive(request), response);
    }

    private void respond(
            ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String type, byte[] body) {
        write(
                ctx.channel(),
                HttpUtil.isKeepAlive(request),
                request.headers().get(HttpHeaderNames.ORIGIN),
                status,
                type,
                body);
    }

    private void write(
            Channel channel, boolean keepAlive, String origin, HttpResponseStatus status, String type, byte[] body) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        cors(response, origin);
        finish(channel, keepAlive, response);
    }

    private static void finish(Channel channel, boolean keepAlive, FullHttpResponse response) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Browsers read the answer only with these; the origin itself was checked by {@link OriginGuard}.
     * A host open to any origin answers {@code *}, which no browser accepts with credentials, and
     * names no origin back, so a page's cookies never ride along and {@code null} is never echoed.
     */
    private void cors(FullHttpResponse response, String origin) {
        if (origin == null) {
            return;
        }
        if (anyOrigin) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.headers().set(HttpHeaderNames.VARY, "Origin");
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
