package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Refuses HTTP requests whose {@code Origin} is not on the host's allow-list, before
 * netty-socketio sees them. It sits behind the HTTP decoder, so it covers the polling handshake,
 * every poll and POST, and the websocket upgrade alike. netty-socketio's own {@code origin}
 * setting only changes a response header and enforces nothing.
 *
 * <p>A request without an {@code Origin}, or whose {@code Origin} is the address the client
 * reached ({@code scheme://} and its {@code Host} header), is not cross-origin and always passes,
 * as in Node's engine.io: python-socketio's WebSocket sends its own URL as the origin.
 */
@ChannelHandler.Sharable
final class OriginGuard extends ChannelInboundHandlerAdapter {
    private final OriginPolicy policy;
    private final Consumer<String> refusals;
    private final boolean tls;

    /** @param tls whether the engine serves {@code https} (the scheme of its own origin) */
    OriginGuard(OriginPolicy policy, Consumer<String> refusals, boolean tls) {
        this.policy = policy;
        this.refusals = refusals;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (origin != null
                    && !policy.allows(origin)
                    && !isSameOrigin(origin, request.headers().get(HttpHeaderNames.HOST), tls)) {
                ReferenceCountUtil.release(msg);
                refusals.accept(origin);
                byte[] body = ("{\"code\":4,\"message\":\"Origin " + jsonEscape(origin)
                                + " is not allowed by this host\"}")
                        .getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN, Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Whether {@code origin} names the address in the {@code Host} header, under the engine's own
     * scheme; a port left out means the scheme's default (80, 443) on either side. The header is the
     * client's word, as it is for a browser's same-origin rule.
     */
    static boolean isSameOrigin(String origin, String host, boolean tls) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String scheme = tls ? "https" : "http";
        int defaultPort = tls ? 443 : 80;
        URI own = bareAuthority(scheme + "://" + host);
        URI claimed = bareAuthority(origin);
        return own != null
                && claimed != null
                && scheme.equalsIgnoreCase(claimed.getScheme())
                && own.getHost().equalsIgnoreCase(claimed.getHost())
                && portOr(own, defaultPort) == portOr(claimed, defaultPort);
    }

    /** {@code text} as a URI with a scheme and a host and nothing else, or null. */
    private static URI bareAuthority(String text) {
        try {
            URI uri = new URI(text);
            boolean bare = uri.getScheme() != null
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
            return bare ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int portOr(URI uri, int defaultPort) {
        return uri.getPort() == -1 ? defaultPort : uri.getPort();
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
