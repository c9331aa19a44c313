package app.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.cluster.ClusterMessage.Broadcast;
import app.parley.cluster.ClusterMessage.FetchSockets;
import app.parley.cluster.ClusterMessage.Received;
import app.parley.cluster.ClusterMessage.SocketsJoin;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streams adapter's encoding, read from entries written exactly as
 * {@code @socket.io/redis-streams-adapter} 0.3.1 writes them (its {@code encode}: JSON text, or
 * base64 of msgpack when the data holds a Buffer), and refused with a reason when it is not.
 */
class ClusterWireTest {
    @Test
    void readsANodeRoomBroadcastWrittenAsJson() throws Exception {
        Received r = ClusterWire.fromStream(
                Map.of(
                        "uid", "a1b2c3d4e5f60718",
                        "nsp", "/",
                        "type", "3",
                        "data",
                                "{\"packet\":{\"type\":2,\"data\":[\"receive-message\",\"hi\",{\"n\":1}],\"nsp\":\"/\"},"
                                        + "\"opts\":{\"rooms\":[\"ops\"],\"except\":[\"Xy12\"],\"flags\":{}}}"),
                "1700000000000-0");
        assertThat(r.uid()).isEqualTo("a1b2c3d4e5f60718");
        assertThat(r.offset()).isEqualTo("1700000000000-0");
        Broadcast b = (Broadcast) r.message();
        assertThat(b.event()).isEqualTo("receive-message");
        assertThat(b.args()).containsExactly("hi", Map.of("n", 1));
        assertThat(b.to().rooms()).containsExactly("ops");
        assertThat(b.to().except()).containsExactly("Xy12");
        assertThat(b.to().includes(List.of("Zz", "ops"))).isTrue();
        assertThat(b.to().includes(List.of("Xy12", "ops"))).isFalse();
        assertThat(b.to().includes(List.of("other"))).isFalse();
    }

    @Test
    void readsBinaryBroadcastsAsMsgpackInBase64() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 255};
        Map<String, Object> data = Map.of(
                "packet", Map.of("type", 2, "data", List.of("file", bytes), "nsp", "/"),
                "opts", Map.of("rooms", List.of(), "except", List.of(), "flags", Map.of()));
        String encoded = Base64.getEncoder().encodeToString(MsgPack.pack(data));
        Broadcast b =
                (Broadcast) ClusterWire.fromStream(Map.of("uid", "u", "nsp", "/", "type", "3", "data", encoded), "1-0")
                        .message();
        assertThat(b.to().rooms()).isEmpty();
        assertThat((byte[]) b.args().get(0)).containsExactly(bytes);
    }

    @Test
    void writesWhatItReadsAndChoosesMsgpackOnlyForBytes() throws Exception {
        Broadcast text = new Broadcast(Audience.room("ops", List.of("me")), "typing", List.of(Map.of("active", true)));
        Map<String, String> entry = ClusterWire.streamEntry("abc", "/", text);
        assertThat(entry).containsEntry("type", "3").containsEntry("uid", "abc").containsEntry("nsp", "/");
        assertThat(entry.get("data")).startsWith("{");
        assertThat(ClusterWire.fromStream(entry, "5-1").message()).isEqualTo(text);

        Broadcast binary = new Broadcast(Audience.everyone(List.of()), "blob", List.of(new byte[] {7}));
        assertThat(ClusterWire.streamEntry("abc", "/", binary).get("data")).doesNotStartWith("{");
        Broadcast back = (Broadcast) ClusterWire.fromStream(ClusterWire.streamEntry("abc", "/", binary), "6-0")
                .message();
        assertThat((byte[]) back.args().get(0)).containsExactly(7);
    }

    @Test
    void pubSubMessagesAreWholeMsgpackMaps() throws Exception {
        FetchSockets fetch = new FetchSockets(new Audience(List.of("ops"), List.of(), Map.of()), "req-1");
        Received r = ClusterWire.fromPubSub(ClusterWire.pubSub("uid9", "/", fetch));
        assertThat(r.uid()).isEqualTo("uid9");
        assertThat(r.message()).isEqualTo(fetch);
        SocketsJoin join = new SocketsJoin(Audience.everyone(List.of()), List.of("a", "b"));
        assertThat(ClusterWire.fromPubSub(ClusterWire.pubSub("u", "/", join)).message())
                .isEqualTo(join);
    }

    @Test
    void refusesWhatItCannotReadWithAReason() {
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "three"), "not a number");
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "99"), "type 99");
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "3", "data", "{oops"), "not JSON");
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "3", "data", "@@@"), "neither JSON nor base64");
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "3", "data", "{}"), "without a packet");
        assertRefused(
                Map.of(
                        "uid",
                        "u",
                        "nsp",
                        "/",
                        "type",
                        "3",
                        "data",
                        "{\"packet\":{\"type\":2,\"data\":[1]},\"opts\":{}}"),
                "event's name");
        assertRefused(
                Map.of("uid", "u", "nsp", "/", "type", "3", "data", "{\"packet\":{\"type\":3,\"data\":[\"a\"]}}"),
                "not an event");
        assertRefused(
                Map.of("uid", "u", "nsp", "/", "type", "3", "data", "{\"x\":\"" + "a".repeat(1_000_001) + "\"}"),
                "at most");
        assertRefused(Map.of("uid", "u", "nsp", "/", "type", "4", "data", "{\"opts\":{},\"rooms\":[1]}"), "non-text");
        assertRefused(Map.of("nsp", "/", "type", "6", "data", "{\"opts\":{}}"), "without uid");
    }

    @Test
    void msgpackThatClaimsMoreThanItHoldsIsRefusedBeforeAnythingIsAllocated() {
        // bin32 header claiming 2 GB in a 6-byte message.
        byte[] liar = {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0};
        assertThatThrownBy(() -> MsgPack.unpack(liar)).hasMessageContaining("claims");
        // ext 8 type 1: never read.
        byte[] ext = {(byte) 0xd4, 1, 0};
        assertThatThrownBy(() -> MsgPack.unpack(ext)).hasMessageContaining("extension");
        byte[] deep = new byte[200];
        java.util.Arrays.fill(deep, (byte) 0x91); // arrays of one array of one array…
        assertThatThrownBy(() -> MsgPack.unpack(deep)).hasMessageContaining("deeper");
    }

    private static void assertRefused(Map<String, String> fields, String reason) {
        assertThatThrownBy(() -> ClusterWire.fromStream(fields, "1-0"))
                .isInstanceOf(ClusterWireException.class)
                .hasMessageContaining(reason);
    }
}
