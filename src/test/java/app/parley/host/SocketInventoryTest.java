package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.sockets.SocketChange;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.Transport;
import app.parley.testing.RawClient;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host's socket inventory against a real client over loopback: it lists a chat socket from
 * its CONNECT, follows its upgrade, name and rooms, counts its traffic and hears it go; what
 * {@code SocketControl} does goes the socket's own way, and naming a socket or room that is not
 * there changes nothing.
 */
@Timeout(60)
class SocketInventoryTest {
    private HostServer host;
    private int port;
    private final BlockingQueue<SocketChange> changes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        host = new HostServer(HostConfig.loopback(Set.of("http://localhost:8080")));
        port = host.start();
        host.sockets().addListener(changes::add);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void followsAChatSocketFromConnectToDisconnect() throws Exception {
        RawClient client = RawClient.connect(port);
        String id = client.awaitId();

        SocketChange.Connected connected = next(SocketChange.Connected.class);
        assertThat(connected.socket().id()).isEqualTo(id);
        assertThat(connected.socket().namespace()).isEqualTo("/");
        assertThat(connected.socket().remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(connected.socket().handshake().headers()).containsKey("host");
        assertThat(next(SocketChange.TransportChanged.class).socket().transport())
                .isEqualTo(Transport.WEBSOCKET);

        client.request("set-name", "Ann");
        assertThat(next(SocketChange.Renamed.class).socket().name()).isEqualTo("Ann");
        client.request("join-room", "lobby");
        assertThat(next(SocketChange.RoomJoined.class).room()).isEqualTo("lobby");

        SocketInfo listed = host.sockets().find("/", id).orElseThrow();
        assertThat(listed.rooms()).containsExactly("lobby");
        assertThat(listed.name()).isEqualTo("Ann");
        assertThat(listed.traffic().messagesIn()).isGreaterThanOrEqualTo(2);
        assertThat(listed.traffic().messagesOut()).isGreaterThanOrEqualTo(2);
        assertThat(listed.traffic().bytesIn()).isPositive();

        // The host's own way in: the same as the socket's leave-room, presence included.
        assertThat(host.socketControl().leave(id, "lobby")).isEmpty();
        assertThat(next(SocketChange.RoomLeft.class).room()).isEqualTo("lobby");
        assertThat(host.socketControl().join(id, "other")).isEmpty();
        assertThat(next(SocketChange.RoomJoined.class).room()).isEqualTo("other");

        // Nobody there, or a room nobody may join: a reason, and nothing happens.
        assertThat(host.socketControl().join("00000000-0000-4000-8000-000000000000", "x"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("no chat socket"));
        assertThat(host.socketControl().join(id, "\u0001everyone")).isPresent();
        assertThat(host.socketControl().disconnect("not an id", true, "test")).isPresent();
        assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).isNull();

        client.close();
        SocketChange.Disconnected gone = next(SocketChange.Disconnected.class);
        assertThat(gone.socket().id()).isEqualTo(id);
        assertThat(gone.reason()).isNotBlank();
        assertThat(host.sockets().sockets()).isEmpty();
        assertThat(host.sockets().totalTraffic().messagesIn()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aKickIsRecordedAsOne() throws Exception {
        RawClient client = RawClient.connect(port, new String[] {"websocket"}, java.util.Map.of());
        String id = client.awaitId();
        next(SocketChange.Connected.class);
        assertThat(host.socketControl().disconnect(id, false, "test")).isEmpty();
        assertThat(next(SocketChange.Disconnected.class).reason()).isEqualTo(HostSocketControl.SERVER_DISCONNECT);
        client.close();
    }

    private <T extends SocketChange> T next(Class<T> type) throws InterruptedException {
        SocketChange change = changes.poll(10, TimeUnit.SECONDS);
        assertThat(change).as("a %s", type.getSimpleName()).isInstanceOf(type);
        return type.cast(change);
    }
}
