package app.parley.conformance;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A plain RFC 6455 client ({@link java.net.http.WebSocket}, no Socket.IO code) that queues every
 * received message, text as {@link String} and binary as {@code byte[]}, and records how the
 * connection ended. An upgrade the server refuses (HTTP 400, a dropped connection) counts as
 * "closed", the way a browser's WebSocket fires {@code close} for it. Every wait is bounded.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** The bound for opening the connection and for one send. */
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(3);

    /** One received message: exactly one of {@code text} and {@code binary} is set. */
    public record Frame(String text, byte[] binary) {
        public boolean isText() {
            return text != null;
        }

        @Override
        public String toString() {
            return isText() ? "text \"" + Wire.printable(text) + "\"" : "binary " + Arrays.toString(binary);
        }
    }

    /** How the connection ended: a close frame's code and reason, or what went wrong instead. */
    public record Closed(int code, String reason, String how) {
        @Override
        public String toString() {
            return how + (code >= 0 ? " (code " + code + (reason.isEmpty() ? "" : ", \"" + reason + "\"") + ")" : "");
        }
    }

    private final URI uri;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private RawWebSocket(URI uri, WebSocket socket, Closed refused, Listener listener) {
        this.uri = uri;
        this.socket = socket;
        if (refused != null) {
            closed.complete(refused);
        }
        if (listener != null) {
            listener.attach(this);
        }
    }

    /**
     * Opens {@code uri} (ws://…), waiting at most a few seconds for the upgrade. A refused upgrade
     * returns an already closed socket; only a server that does not answer at all fails.
     */
    public static RawWebSocket open(URI uri) {
        Listener listener = new Listener();
        CompletableFuture<WebSocket> opening =
                CLIENT.newWebSocketBuilder().connectTimeout(IO_TIMEOUT).buildAsync(uri, listener);
        try {
            return new RawWebSocket(
                    uri, opening.get(IO_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS), null, listener);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String how = cause instanceof WebSocketHandshakeException refused
                    ? "upgrade refused with HTTP " + refused.getResponse().statusCode()
                    : "upgrade failed: " + cause;
            return new RawWebSocket(uri, null, new Closed(-1, "", how), null);
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort);
            throw new AssertionError(
                    "no answer to the WebSocket upgrade of " + uri + " within " + IO_TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening " + uri, e);
        }
    }

    /** True once the upgrade succeeded (it may have closed since). */
    public boolean upgraded() {
        return socket != null;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The next received message, failing if none comes within {@code timeout} or the connection ends first. */
    public Frame next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = frames.poll();
            if (frame != null) {
                return frame;
            }
            if (closed.isDone()) {
                frame = frames.poll(); // one that raced the close
                if (frame != null) {
                    return frame;
                }
                throw new AssertionError("connection " + closed.join() + " while waiting for a message on " + uri);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no message within " + timeout.toMillis() + " ms on " + uri);
            }
            try {
                frame = frames.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a message", e);
            }
            if (frame != null) {
                return frame;
            }
        }
    }

    /** The next message, which must be text. */
    public String nextText(Duration timeout) {
        Frame frame = next(timeout);
        if (!frame.isText()) {
            throw new AssertionError("expected a text message but got " + frame);
        }
        return frame.text();
    }

    /** The next message, which must be binary. */
    public byte[] nextBinary(Duration timeout) {
        Frame frame = next(timeout);
        if (frame.isText()) {
            throw new AssertionError("expected a binary message but got " + frame);
        }
        return frame.binary();
    }

    /** Waits at most {@code timeout} for the connection to end; fails if it is still open then. */
    public Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + timeout.toMillis() + " ms on " + uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the close", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** How the connection ended, or null while it is open. */
    public Closed closedHow() {
        return closed.getNow(null);
    }

    /** Sends one text message, waiting until it is written. */
    public void sendText(String text) {
        requireOpen("send text \"" + Wire.printable(text) + "\"");
        complete(socket.sendText(text, true), "sending text \"" + Wire.printable(text) + "\"");
    }

    /** Sends one binary message, waiting until it is written. */
    public void sendBinary(byte[] bytes) {
        requireOpen("send binary " + Arrays.toString(bytes));
        complete(socket.sendBinary(ByteBuffer.wrap(bytes.clone()), true), "sending binary " + Arrays.toString(bytes));
    }

    /** Sends a normal close frame, waits briefly for the server's, then drops the connection. */
    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        if (!closed.isDone() && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(500, TimeUnit.MILLISECONDS);
                closed.get(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ignored) {
                // dropped below either way
            }
        }
        socket.abort();
        closed.complete(new Closed(-1, "", "closed by the client"));
    }

    private void requireOpen(String what) {
        if (socket == null || closed.isDone()) {
            throw new AssertionError("cannot " + what + ": connection " + closed.getNow(null) + " (" + uri + ")");
        }
    }

    private void complete(CompletableFuture<WebSocket> sending, String what) {
        try {
            sending.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(
                    what + " failed: " + e.getCause() + (closed.isDone() ? " (connection " + closed.join() + ")" : ""),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + IO_TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + what, e);
        }
    }

    /**
     * Collects messages (joining fragments) and the end of the connection. Events that arrive
     * before the {@link RawWebSocket} exists are held until {@link #attach}.
     */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final BlockingQueue<Frame> early = new LinkedBlockingQueue<>();
        private Closed earlyClose;
        private RawWebSocket owner;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                deliver(new Frame(text.toString(), null));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                deliver(new Frame(null, binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            end(new Closed(statusCode, reason == null ? "" : reason, "closed by the server"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            end(new Closed(-1, "", "ended abnormally: " + error));
        }

        private synchronized void deliver(Frame frame) {
            if (owner == null) {
                early.add(frame);
            } else {
                owner.frames.add(frame);
            }
        }

        private synchronized void end(Closed how) {
            if (owner == null) {
                earlyClose = how;
            } else {
                owner.closed.complete(how);
            }
        }

        /** Sets the owner and hands over what arrived before it existed. */
        synchronized void attach(RawWebSocket newOwner) {
            owner = newOwner;
            early.drainTo(owner.frames);
            if (earlyClose != null) {
                owner.closed.complete(earlyClose);
            }
        }
    }
}
