package app.parley.engine;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a {@link Downloads} file: GET or HEAD, one byte range at most, read from the disk as the
 * peer takes it (a slow reader holds a chunk, not the file), with headers that make a browser save
 * it rather than run it (docs/PROTOCOL.md §15.3).
 */
final class DownloadHttp {
    private static final int CHUNK = 64 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private final Downloads downloads;
    private final StaticHttp plain;

    DownloadHttp(Downloads downloads, StaticHttp plain) {
        this.downloads = downloads;
        this.plain = plain;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            plain.plain(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed");
            return;
        }
        Downloads.Answer answer = downloads.find(path.substring(Downloads.PREFIX.length()));
        if (answer.status() != 200) {
            plain.plain(ctx, request, HttpResponseStatus.valueOf(answer.status()), answer.reason());
            return;
        }
        FileChannel file;
        long size;
        try {
            file = FileChannel.open(answer.file(), StandardOpenOption.READ);
            size = file.size();
        } catch (IOException e) {
            plain.plain(ctx, request, HttpResponseStatus.GONE, "The file is no longer on this host");
            return;
        }
        long start = 0;
        long end = size - 1;
        HttpResponseStatus status = HttpResponseStatus.OK;
        String range = request.headers().get(HttpHeaderNames.RANGE);
        if (range != null) {
            Matcher m = RANGE.matcher(range.strip());
            long[] bounds = m.matches() ? bounds(m.group(1), m.group(2), size) : null;
            if (bounds == null) {
                close(file);
                HttpResponse refused = new DefaultHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                refused.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                refused.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                send(ctx, request, refused, null, 0, 0);
                return;
            }
            start = bounds[0];
            end = bounds[1];
            status = HttpResponseStatus.PARTIAL_CONTENT;
        }
        long length = size == 0 ? 0 : end - start + 1;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.set(HttpHeaderNames.CONTENT_DISPOSITION, answer.disposition());
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        headers.set(HttpHeaderNames.CACHE_CONTROL, "private, no-store");
        if (status == HttpResponseStatus.PARTIAL_CONTENT) {
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
        }
        plain.secure(headers, null);
        if (HttpMethod.HEAD.equals(method)) {
            close(file);
            send(ctx, request, response, null, 0, 0);
        } else {
            send(ctx, request, response, file, start, length);
        }
    }

    /** The first and last byte a single {@code bytes=} range asks for, or null when it cannot be met. */
    private static long[] bounds(String first, String last, long size) {
        if (first.isEmpty() && last.isEmpty()) {
            return null;
        }
        long start;
        long end;
        if (first.isEmpty()) { // the last N bytes
            long suffix = Long.parseLong(last);
            if (suffix == 0) {
                return null;
            }
            start = Math.max(0, size - suffix);
            end = size - 1;
        } else {
            start = Long.parseLong(first);
            end = last.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(last));
        }
        return start >= size || end < start ? null : new long[] {start, end};
    }

    private static void send(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            HttpResponse response,
            FileChannel file,
            long start,
            long length) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        response.headers()
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(response);
        ChannelFuture last;
        if (file == null || length == 0) {
            close(file);
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            try {
                // The chunked writer reads the next piece only when the peer has taken the last.
                last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(file, start, length, CHUNK)));
            } catch (IOException e) {
                close(file);
                ctx.close();
                return;
            }
        }
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void close(FileChannel file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only; nothing was lost
            }
        }
    }
}
