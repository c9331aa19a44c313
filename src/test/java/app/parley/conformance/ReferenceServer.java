package app.parley.conformance;

import app.parley.interop.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * {@code node interop/reference-echo-server.mjs 0} as a child process ({@link NodeProcess}): the
 * Node.js reference servers the conformance checks are proven against. Its stdout's
 * {@code listening} line gives the port; its output is kept for failure messages; closing its
 * stdin ends it.
 */
final class ReferenceServer implements AutoCloseable {
    private static final String SCRIPT = "reference-echo-server.mjs";

    private final NodeProcess node;
    private final int port;

    private ReferenceServer(NodeProcess node, int port) {
        this.node = node;
        this.port = port;
    }

    /** Starts the script on a free port and waits (bounded) until it listens. */
    static ReferenceServer start(Duration timeout) throws IOException, InterruptedException {
        NodeProcess.requireInstalled("socket.io", "engine.io");
        NodeProcess node = NodeProcess.start(SCRIPT, "0");
        try {
            return new ReferenceServer(
                    node, node.awaitEvent("listening", timeout).getInt("port"));
        } catch (RuntimeException | AssertionError | InterruptedException e) {
            node.close();
            throw e;
        }
    }

    /** http://127.0.0.1:PORT */
    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The script's process id, to signal it (a test freezing the server with SIGSTOP). */
    long pid() {
        return node.pid();
    }

    boolean isAlive() {
        return node.isAlive();
    }

    /** What the script printed so far. */
    String transcript() {
        return node.transcript();
    }

    /** Closes stdin (the script exits on that), then ends it by pid if it is still running. */
    @Override
    public void close() {
        node.close();
    }
}
