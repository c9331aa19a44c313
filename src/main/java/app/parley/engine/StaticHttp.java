package app.parley.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answers the requests no Engine.IO endpoint claims from a {@link StaticSite}: GET and HEAD of a
 * bundled file, with the headers that keep a page served here from being turned against its users
 * (docs/PROTOCOL.md, "What else the host serves"). Anything else is {@code 404 Not found}, saying
 * nothing more, or {@code 405} for another method on a file that exists.
 */
final class StaticHttp {
    static final String NOT_FOUND = "Not found";

    /**
     * No inline script, no eval, nothing from elsewhere; the page talks only to its own host (plain
     * {@code 'self'} covers same-origin WebSockets in current browsers, older Safari needs the
     * {@code ws:}/{@code wss:} origin named, added per request from a well-formed {@code Host}).
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none';"
            + " connect-src 'self'";

    private static final Pattern HOST =
            Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

    private final StaticSite site;
    private final String webSocketScheme;

    /** {@code site} may be null: then every file is not found, and only the plain answers are of use. */
    StaticHttp(StaticSite site, boolean tls) {
        this.site = site;
        this.webSocketScheme = tls ? "wss://" : "ws://";
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        StaticSite.File file = site == null ? null : site.lookup(query < 0 ? uri : uri.substring(0, query));
        HttpMethod method = request.method();
        if (file == null) {
            plain(ctx, request, HttpResponseStatus.NOT_FOUND, NOT_FOUND);
        } else if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            plain(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed");
        } else {
            serve(ctx, request, file);
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, StaticSite.File file) {
        HttpHeaders asked = request.headers();
        boolean gzip = file.gzip() != null && acceptsGzip(asked.get(HttpHeaderNames.ACCEPT_ENCODING));
        String etag = gzip ? file.gzipEtag() : file.etag();
        boolean unchanged = matches(asked.get(HttpHeaderNames.IF_NONE_MATCH), file);
        byte[] body = gzip ? file.gzip() : file.body();
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                unchanged || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, etag);
        // Revalidated every time (a 304 on the LAN costs one round trip): the names are fixed, so a
        // long lifetime would keep a browser on the old page after the host is updated.
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (file.gzip() != null) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (!unchanged) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, file.type());
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (gzip) {
                headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
        }
        secure(headers, asked.get(HttpHeaderNames.HOST));
        finish(ctx, request, response);
    }

    void plain(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            headers.set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        secure(headers, null);
        finish(ctx, request, response);
    }

    void secure(HttpHeaders headers, String host) {
        boolean named = host != null && HOST.matcher(host).matches();
        headers.set("Content-Security-Policy", named ? POLICY + " " + webSocketScheme + host : POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void finish(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        if (!ctx.channel().isWritable()) {
            // Earlier answers still wait to be read: a browser asks once it has read the last one,
            // so this peer asks without reading, and its answers would pile up in memory.
            response.release();
            ctx.close();
            return;
        }
        if (HttpUtil.isKeepAlive(request)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Whether {@code Accept-Encoding} takes gzip (by name or {@code *}) with a weight above zero. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",", 32)) {
            String[] pieces = part.split(";", 8);
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            boolean wanted = weight(pieces) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return wanted;
            }
            if (coding.equals("*")) {
                star = wanted;
            }
        }
        return star;
    }

    private static double weight(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /**
     * {@code If-None-Match} against either encoding's tag, compared weakly as RFC 9110 asks; a
     * {@code *} matches any file that exists.
     */
    static boolean matches(String ifNoneMatch, StaticSite.File file) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",", 64)) {
            String bare = tag.strip();
            if (bare.startsWith("W/")) {
                bare = bare.substring(2);
            }
            if (bare.equals("*") || bare.equals(file.etag()) || bare.equals(file.gzipEtag())) {
                return true;
            }
        }
        return false;
    }
}
