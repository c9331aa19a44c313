package app.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.ProtocolEchoServer;
import app.parley.engine.SocketIoEngine;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketIoEngine#currentLoop()} names the I/O loop a listener runs on (the host stores a
 * message read there at the end of that loop's turn) and nothing off the loops. A real engine on
 * loopback, a real client's handshake and CONNECT over HTTP long-polling.
 */
class CurrentLoopTest {
    @Test
    void aListenerRunsOnTheLoopTheEngineNamesAndOtherThreadsOnNone() throws Exception {
        SocketIoEngine engine = ProtocolEchoServer.create(0);
        CompletableFuture<String> seen = new CompletableFuture<>();
        engine.server().getNamespace("").addConnectListener(client -> {
            EventExecutor loop = engine.currentLoop();
            seen.complete(loop != null && loop.inEventLoop() ? "on its loop" : "not named: " + loop);
        });
        int port = engine.start();
        try {
            assertThat(engine.currentLoop()).as("the test's own thread").isNull();
            URI base = URI.create("http://127.0.0.1:" + port);
            String sid = Wire.initLongPollingSession(base, "/socket.io/");
            assertThat(RawHttp.once(base, "POST", Wire.polling("/socket.io/", sid), "40")
                            .body())
                    .isEqualTo("ok");
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("on its loop");
        } finally {
            engine.stop();
        }
    }
}
