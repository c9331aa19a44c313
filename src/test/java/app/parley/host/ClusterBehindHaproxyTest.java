package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.sockets.SocketInfo;
import app.parley.sockets.Transport;
import app.parley.testing.HaproxyServer;
import app.parley.testing.RawClient;
import app.parley.testing.RedisServer;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two Parley hosts of one cluster behind a real HAProxy configured by the shipped
 * {@code docs/deploy/haproxy.cfg}: long-polling clients stay with one host ("balance source"),
 * a client upgrades to WebSocket through it, the hosts see each client's own address
 * ({@code option forwardfor} with {@code --trusted-proxy}), and they chat across the hosts.
 */
class ClusterBehindHaproxyTest {
    private static final String[] POLLING = {"polling"};
    private static final String[] UPGRADING = {"polling", "websocket"};

    @Test
    void clientsOnEveryTransportChatThroughTheShippedHaproxyConfig() throws Exception {
        EngineLimits limits = EngineLimits.DEFAULT.withTrustedProxies(Set.of(InetAddress.getByName("127.0.0.1")));
        List<RawClient> clients = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            HostConfig config =
                    HostConfig.loopback(Set.of()).withCluster(redis.target()).withLimits(limits);
            HostServer hostA = new HostServer(config);
            HostServer hostB = new HostServer(config);
            try {
                hostA.start();
                hostB.start();
                try (HaproxyServer haproxy = HaproxyServer.start(List.of(hostA.port(), hostB.port()))) {
                    URI front = URI.create("http://127.0.0.1:" + haproxy.port());
                    // HAProxy picks a host by the client's address: find a polling client on each.
                    RawClient onA = null;
                    RawClient onB = null;
                    String addressOnA = null;
                    for (int n = 2; n < 40 && (onA == null || onB == null); n++) {
                        String from = "127.0.0." + n;
                        RawClient client = new RawClient(front, POLLING, Map.of(), null, from);
                        clients.add(client);
                        client.socket().connect();
                        String id = client.awaitId();
                        Optional<SocketInfo> seenByA = find(hostA, id);
                        if (seenByA.isPresent() && onA == null) {
                            onA = client;
                            addressOnA = from;
                            assertThat(seenByA.get().remoteAddress())
                                    .as("the host sees the client's address, forwarded by HAProxy")
                                    .isEqualTo(from);
                        } else if (find(hostB, id).isPresent() && onB == null) {
                            onB = client;
                        }
                    }
                    assertThat(onA)
                            .as("a client address HAProxy sends to host A")
                            .isNotNull();
                    assertThat(onB)
                            .as("a client address HAProxy sends to host B")
                            .isNotNull();

                    RawClient upgrading = new RawClient(front, UPGRADING, Map.of(), null, addressOnA);
                    clients.add(upgrading);
                    upgrading.socket().connect();
                    String upgradingId = upgrading.awaitId();

                    // Each polling request after the handshake must reach the host that made the session.
                    onA.request("join-room", "ops");
                    upgrading.request("join-room", "ops");
                    onB.request("send-message", "from host B", "ops");
                    assertThat(onA.nextMessage())
                            .as("polling, host A")
                            .isNotNull()
                            .startsWith("from host B");
                    assertThat(upgrading.nextMessage())
                            .as("upgraded to WebSocket through HAProxy")
                            .isNotNull()
                            .startsWith("from host B");
                    upgrading.request("send-message", "from the upgraded one", "ops");
                    assertThat(onA.nextMessage()).isNotNull().startsWith("from the upgraded one");
                    assertThat(onA.nextMessage(300)).as("nothing doubled").isNull();
                    assertThat(upgrading.nextMessage(300)).as("nothing doubled").isNull();
                    assertThat(find(hostA, upgradingId).orElseThrow().transport())
                            .as("the upgrade went through, to the host its address goes to")
                            .isEqualTo(Transport.WEBSOCKET);
                }
            } finally {
                clients.forEach(RawClient::close);
                hostA.close();
                hostB.close();
            }
        }
    }

    private static Optional<SocketInfo> find(HostServer host, String id) {
        return host.sockets().sockets("/").stream()
                .filter(info -> info.id().equals(id))
                .findFirst();
    }
}
