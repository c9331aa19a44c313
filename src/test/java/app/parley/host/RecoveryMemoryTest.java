package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.conformance.RawWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions kept for recovery (docs/PROTOCOL.md §16) are swept once their window is over: memory stays bounded. */
class RecoveryMemoryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Long enough for all of them to be dropped before the first expires, even on a busy machine. */
    private static final Duration WINDOW = Duration.ofSeconds(5);

    private HostServer host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void keptSessionsExpireWithTheirWindow() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withRecoveryWindow(WINDOW));
        URI ws = URI.create("ws://127.0.0.1:" + host.start() + "/socket.io/?EIO=4&transport=websocket");
        int dropped = 20;
        for (int i = 0; i < dropped; i++) {
            try (RawWebSocket socket = RawWebSocket.open(ws)) {
                assertThat(socket.nextText(WAIT)).startsWith("0{");
                socket.sendText("40");
                assertThat(socket.nextText(WAIT)).contains("\"pid\"");
                // Live once answered: join-room runs in order with what the host does at connect.
                socket.sendText("421[\"join-room\",\"live\"]");
                assertThat(socket.nextText(WAIT)).startsWith("431[");
            } // closed under it: kept
        }
        assertThat(waitFor(() -> host.recovery().keptCount() == dropped, WAIT))
                .as("kept: %d", host.recovery().keptCount())
                .isTrue();
        assertThat(waitFor(() -> host.recovery().keptCount() == 0, WINDOW.multipliedBy(2)))
                .as("left after the window: %d", host.recovery().keptCount())
                .isTrue();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
