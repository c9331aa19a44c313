package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.engine.EngineLimits;
import app.parley.sockets.SocketInfo;
import app.parley.testing.RawClient;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy the host trusts ({@code --trusted-proxy}), each client is the address the
 * proxy forwards, and the proxy's many connections are not held to one address's limit; a proxy
 * it does not trust is one address like any other, whatever it forwards.
 */
class TrustedProxyTest {
    private static final Map<String, List<String>> FORWARDED =
            Map.of("X-Forwarded-For", List.of("1.2.3.4, 198.51.100.7"));

    @Test
    void aTrustedProxysClientsAreWhoItSaysAndNotOneAddress() throws Exception {
        EngineLimits limits =
                new EngineLimits(100, 3, 1_000, 500).withTrustedProxies(Set.of(InetAddress.getByName("127.0.0.1")));
        HostServer host = new HostServer(HostConfig.loopback(Set.of()).withLimits(limits));
        int port = host.start();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                RawClient client = RawClient.connect(port, new String[] {"polling"}, FORWARDED);
                clients.add(client);
                client.awaitId();
            }
            assertThat(host.sockets().sockets("/"))
                    .hasSize(5)
                    .extracting(SocketInfo::remoteAddress)
                    .containsOnly("198.51.100.7");
        } finally {
            clients.forEach(RawClient::close);
            host.close();
        }
    }

    @Test
    void anUntrustedPeerIsItselfWhateverItForwards() throws Exception {
        HostServer host =
                new HostServer(HostConfig.loopback(Set.of()).withLimits(new EngineLimits(100, 3, 1_000, 500)));
        int port = host.start();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawClient client = RawClient.connect(port, new String[] {"websocket"}, FORWARDED);
                clients.add(client);
                client.awaitId();
            }
            assertThat(host.sockets().sockets("/"))
                    .extracting(SocketInfo::remoteAddress)
                    .containsOnly("127.0.0.1");
            RawClient third = RawClient.connect(port, new String[] {"websocket"}, FORWARDED);
            clients.add(third);
            // In before the fourth: connected at once, the two raced for the last place, and the
            // fourth, let in, waited for a refusal that had gone to the third.
            third.awaitId();
            RawClient fourth = RawClient.connect(port, new String[] {"websocket"}, FORWARDED);
            clients.add(fourth);
            assertThat(fourth.awaitConnectError())
                    .as("past 3 connections from 127.0.0.1")
                    .isNotNull();
        } finally {
            clients.forEach(RawClient::close);
            host.close();
        }
    }
}
