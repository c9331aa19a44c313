package app.parley.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The inventory on its own: changes heard in order, late changes to a gone socket dropped, totals that never go down, secrets hidden. */
class SocketRecorderTest {
    private final SocketRecorder recorder = new SocketRecorder();
    private final SocketInventory inventory = recorder.inventory();
    private final List<SocketChange> heard = new ArrayList<>();
    private final AtomicReference<Traffic> counts = new AtomicReference<>(Traffic.NONE);

    private void connect(String id, String connection, String namespace) {
        recorder.connected(
                id,
                connection,
                namespace,
                null,
                Transport.POLLING,
                "127.0.0.1",
                List.of(),
                new Handshake(Map.of(), Map.of(), "/socket.io/", Instant.now(), false, Map.of()),
                counts::get);
    }

    @Test
    void changesAreHeardInOrderAndLateOnesForAGoneSocketAreDropped() {
        inventory.addListener(heard::add);
        connect("a", "a", "/");
        connect("a", "a", "/admin");
        recorder.joined("/", "a", "lobby");
        recorder.joined("/", "a", "lobby"); // already there: no change
        recorder.renamed("/", "a", "Ann");
        recorder.transportChanged("a", Transport.WEBSOCKET); // both sockets of the connection
        recorder.left("/", "a", "lobby");
        recorder.disconnected("/", "a", "transport close");
        recorder.joined("/", "a", "late"); // gone: nothing

        assertThat(heard)
                .extracting(change -> change.getClass().getSimpleName())
                .containsExactly(
                        "Connected",
                        "Connected",
                        "RoomJoined",
                        "Renamed",
                        "TransportChanged",
                        "TransportChanged",
                        "RoomLeft",
                        "Disconnected");
        assertThat(inventory.sockets()).singleElement().satisfies(socket -> {
            assertThat(socket.namespace()).isEqualTo("/admin");
            assertThat(socket.transport()).isEqualTo(Transport.WEBSOCKET);
        });
        assertThat(recorder.holdsConnection("a")).isTrue();
    }

    @Test
    void totalsKeepWhatDepartedSocketsCounted() {
        connect("a", "a", "/");
        counts.set(new Traffic(3, 30, 4, 40));
        recorder.disconnected("/", "a", "gone");
        counts.set(new Traffic(1, 10, 1, 10));
        connect("b", "b", "/");
        assertThat(inventory.totalTraffic()).isEqualTo(new Traffic(4, 40, 5, 50));
        assertThat(recorder.holdsConnection("a")).isFalse();
    }

    @Test
    void selectPicksByRoomOrIdAsNodesInDoes() {
        connect("a", "a", "/");
        connect("b", "b", "/");
        recorder.joined("/", "b", "lobby");
        assertThat(inventory.select("/", "lobby")).extracting(SocketInfo::id).containsExactly("b");
        assertThat(inventory.select("/", "a")).extracting(SocketInfo::id).containsExactly("a");
        assertThat(inventory.select("/", null)).hasSize(2);
        assertThat(inventory.select("/", "nobody")).isEmpty();
        assertThat(inventory.select("/admin", null)).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        inventory.addListener(change -> {
            throw new IllegalStateException("broken pane");
        });
        inventory.addListener(heard::add);
        connect("a", "a", "/");
        assertThat(heard).hasSize(1);
    }

    @Test
    void authShowsNoSecret() {
        Map<String, Object> shown = SocketRecorder.shownAuth(Map.of(
                "name",
                "Ann",
                "password",
                "s3cret",
                "user",
                "key-of-ann",
                "caughtUp",
                true,
                "resume",
                Map.of("at", 1)));
        assertThat(shown)
                .containsEntry("name", "Ann")
                .containsEntry("caughtUp", true)
                .containsEntry("password", "[hidden]")
                .containsEntry("user", "[hidden]")
                .containsEntry("resume", "[hidden]");
    }
}
