package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A binary attachment is part of the event that announced it, so the packet budget counts the
 * event only: a file's chunks cost one packet each, and an upload near the limit is not cut as a
 * flood at half the rate of its events.
 */
class AttachmentRateTest {
    @Test
    void eventsWithAttachmentsCountOncePerEvent() throws Exception {
        HostServer host = new HostServer(HostConfig.loopback(Set.of()).withLimits(new EngineLimits(100, 10, 30, 1)));
        int port = host.start();
        RawClient client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), null, null);
        try {
            client.socket().connect();
            client.awaitId();
            // CONNECT and a few pings aside, 20 events with one attachment each fit a burst of 30;
            // counted with their attachments they would be 40, and the session would be closed.
            for (int i = 0; i < 20; i++) {
                Object[] answer = client.request(ChatEvents.FILE_CHUNK, "no-such-upload", 0, new byte[] {1, 2, 3});
                assertThat(answer[0].toString()).as("chunk %d", i).contains("no such upload");
            }
            assertThat(client.socket().connected()).isTrue();
        } finally {
            client.close();
            host.close();
        }
    }
}
