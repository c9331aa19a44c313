package app.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            io.netty.util.concurrent.EventExecutor loop = engine.currentLoop();
            seen.complete(loop != null && loop.inEventLoop() ? "on its loop" : "not named: " + loop);
        });
        int port = engine.start();
        try {
            assertThat(engine.currentLoop()).as("the test's own thread").isNull();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
            String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
            assertThat(sid.find()).as("handshake %s", open).isTrue();
            HttpResponse<String> connect = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid.group(1)))
                    .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(connect.statusCode()).isEqualTo(200);
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("on its loop");
        } finally {
            engine.stop();
        }
    }
}
