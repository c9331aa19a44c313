package app.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy that can cut every connection through it at once, as a flaky network or
 * a laptop changing Wi-Fi would: both sockets of each pair are reset, mid-frame if need be. It
 * knows nothing of HTTP or WebSocket, so it cuts polling requests and WebSocket streams alike.
 * The host behind it can change ({@link #target(int)}): a restarted host on a new port. One cut
 * knows a little of Engine.IO: {@link #cutNextProbe} drops a WebSocket upgrade probe mid-upgrade.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicReference<ProbeCut> nextProbe = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong fromClients = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong toClients = new java.util.concurrent.atomic.AtomicLong();
    private volatile long bytesPerSecond;
    private volatile long latencyNanos;
    private volatile int targetPort;
    private volatile boolean closed;

    public CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cutting-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Sends new connections to another port from now on. */
    public void target(int port) {
        targetPort = port;
    }

    /** Resets every connection open now. */
    public void cutAll() {
        cuts.incrementAndGet();
        for (Socket socket : open) {
            reset(socket);
        }
    }

    public int cuts() {
        return cuts.get();
    }

    /** Bytes passed on from clients to the host so far, over every connection: what clients put on the wire. */
    public long bytesFromClients() {
        return fromClients.get();
    }

    /** Bytes passed on from the host to clients so far, over every connection. */
    public long bytesToClients() {
        return toClients.get();
    }

    /** From now on each connection carries at most this many bytes a second each way (0: as fast as it can). */
    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Connections made from now on deliver each chunk this long after it was read, each way, as a
     * long link would: a queue, not a pause, so chunks on their way overlap and only a sender that
     * waits for each answer pays the delay once per answer.
     */
    public void latency(java.time.Duration oneWay) {
        this.latencyNanos = oneWay.toNanos();
    }

    /**
     * The next Engine.IO upgrade probe through the proxy (a WebSocket request with a session id)
     * waits until {@code release} completes (at most 10 s), then passes until the host's
     * {@code 3probe} frame has been handed to the client, and is reset before the client can
     * answer {@code 5}. Nothing else is touched.
     *
     * @return completes once the probe has been cut
     */
    public CompletableFuture<Void> cutNextProbe(CompletableFuture<?> release) {
        ProbeCut cut = new ProbeCut(release, new CompletableFuture<>());
        nextProbe.set(cut);
        return cut.done();
    }

    /** A probe to cut: held until {@code release}, {@code done} once cut. */
    private record ProbeCut(CompletableFuture<?> release, CompletableFuture<Void> done) {}

    /** What one pump does with each chunk it reads; false cuts the pair. */
    @FunctionalInterface
    private interface Tap {
        boolean forward(byte[] buffer, int length, OutputStream out) throws IOException;
    }

    private static final Tap PASS = (buffer, length, out) -> {
        out.write(buffer, 0, length);
        out.flush();
        return true;
    };

    /** The two connections of one client, as far as the probe cut needs to know them. */
    private final class Pair {
        /** What the client sent lately, to find a request head in; OkHttp may reuse a connection. */
        private final StringBuilder recent = new StringBuilder();
        /** Set once this pair is known to carry the probe to cut. */
        private volatile ProbeCut probe;
        /** The last bytes from the host, in case the frame straddles two reads. */
        private byte[] hostTail = new byte[0];

        /** Client to host: recognises the probe's request and holds it until released. */
        boolean fromClient(byte[] buffer, int length, OutputStream out) throws IOException {
            fromClients.addAndGet(length);
            if (probe == null && nextProbe.get() != null) {
                recent.append(new String(buffer, 0, length, StandardCharsets.ISO_8859_1));
                recent.delete(0, Math.max(0, recent.length() - 16 * 1024));
                int get = recent.lastIndexOf("GET ");
                if (get >= 0 && recent.indexOf("\r\n\r\n", get) >= 0) {
                    String line = recent.substring(get, recent.indexOf("\r\n", get));
                    recent.setLength(0);
                    if (line.contains("transport=websocket") && line.contains("sid=")) {
                        probe = nextProbe.getAndSet(null);
                        hold();
                    }
                }
            }
            return PASS.forward(buffer, length, out);
        }

        private void hold() throws IOException {
            if (probe == null) {
                return;
            }
            try {
                probe.release().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted holding the probe", e);
            } catch (Exception e) {
                // not released in time: let it through anyway
            }
        }

        /** Host to client: after the {@code 3probe} frame, cut. */
        boolean fromHost(byte[] buffer, int length, OutputStream out) throws IOException {
            toClients.addAndGet(length);
            ProbeCut cut = probe;
            if (cut == null) {
                return PASS.forward(buffer, length, out);
            }
            byte[] seen = Arrays.copyOf(hostTail, hostTail.length + length);
            System.arraycopy(buffer, 0, seen, hostTail.length, length);
            int at = indexOf(seen, PROBE_PONG);
            if (at < 0) {
                hostTail = Arrays.copyOfRange(seen, Math.max(0, seen.length - PROBE_PONG.length + 1), seen.length);
                return PASS.forward(buffer, length, out);
            }
            int through = at + PROBE_PONG.length - hostTail.length;
            out.write(buffer, 0, through);
            out.flush();
            cut.done().complete(null);
            return false;
        }
    }

    /** The host's unmasked text frame {@code 3probe}. */
    private static final byte[] PROBE_PONG = {(byte) 0x81, 6, '3', 'p', 'r', 'o', 'b', 'e'};

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket host = new Socket();
            try {
                host.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            } catch (IOException e) {
                reset(client); // the host is down: the client sees its connection refused
                continue;
            }
            open.add(client);
            open.add(host);
            Pair pair = new Pair();
            long latency = latencyNanos;
            pump(client, host, latency > 0 ? delayed(pair::fromClient, latency, client, host) : pair::fromClient);
            pump(host, client, latency > 0 ? delayed(pair::fromHost, latency, client, host) : pair::fromHost);
        }
    }

    /**
     * {@code tap}, each chunk handed to it {@code latency} after it was read, on a thread of its
     * own; a chunk it refuses or cannot write cuts the pair.
     */
    private Tap delayed(Tap tap, long latency, Socket client, Socket host) {
        record Due(long at, byte[] bytes) {}
        java.util.concurrent.BlockingQueue<Due> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicReference<OutputStream> target =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        while (!client.isClosed() && !host.isClosed()) {
                            Due due = queue.poll(200, TimeUnit.MILLISECONDS);
                            if (due == null) {
                                continue;
                            }
                            long wait = due.at() - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            if (!tap.forward(due.bytes(), due.bytes().length, target.get())) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // the other side went away
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    reset(client);
                    reset(host);
                },
                "cutting-proxy-delay");
        writer.setDaemon(true);
        writer.start();
        return (buffer, length, out) -> {
            target.compareAndSet(null, out);
            queue.add(new Due(System.nanoTime() + latency, Arrays.copyOf(buffer, length)));
            return !writer.getState().equals(Thread.State.TERMINATED);
        };
    }

    private void pump(Socket from, Socket to, Tap tap) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n = in.read(buffer);
                        while (n >= 0 && tap.forward(buffer, n, out)) {
                            long rate = bytesPerSecond;
                            if (rate > 0) {
                                long wait = n * 1_000_000_000L / rate; // the time these bytes take at that rate
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            n = in.read(buffer);
                        }
                    } catch (IOException e) {
                        // cut, or the other side closed: either way this pair is done
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        // cut, or the other side closed: either way this pair is done
                    } finally {
                        reset(from);
                        reset(to);
                    }
                },
                "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0); // RST, not a polite FIN: nothing more gets through
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
