package app.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that can cut every connection through it at once, as a flaky network or
 * a laptop changing Wi-Fi would: both sockets of each pair are reset, mid-frame if need be. It
 * knows nothing of HTTP or WebSocket, so it cuts polling requests and WebSocket streams alike.
 * The host behind it can change ({@link #target(int)}): a restarted host on a new port.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
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
            pump(client, host);
            pump(host, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
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
