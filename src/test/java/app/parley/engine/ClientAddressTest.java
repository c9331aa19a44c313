package app.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A trusted proxy's last {@code X-Forwarded-For} entry is the client; nothing else is believed. */
class ClientAddressTest {
    private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.2", 51000);

    @Test
    void theLastEntryFromATrustedProxyIsTheClient() throws Exception {
        Set<InetAddress> trusted = Set.of(InetAddress.getByName("10.0.0.2"));
        assertThat(ClientAddress.of(PROXY, forwarded("203.0.113.9"), trusted).getAddress())
                .isEqualTo(InetAddress.getByName("203.0.113.9"));
        // What the client wrote itself comes first and proves nothing.
        assertThat(ClientAddress.of(PROXY, forwarded("1.1.1.1, 198.51.100.4"), trusted)
                        .getAddress())
                .isEqualTo(InetAddress.getByName("198.51.100.4"));
        assertThat(ClientAddress.of(PROXY, forwarded("2001:db8::7"), trusted).getAddress())
                .isEqualTo(InetAddress.getByName("2001:db8::7"));
    }

    @Test
    void fromAnyoneElseOrWithoutAnAddressThePeerItself() throws Exception {
        Set<InetAddress> trusted = Set.of(InetAddress.getByName("10.0.0.2"));
        InetSocketAddress stranger = new InetSocketAddress("192.0.2.8", 40000);
        assertThat(ClientAddress.of(stranger, forwarded("203.0.113.9"), trusted))
                .isEqualTo(stranger);
        assertThat(ClientAddress.of(PROXY, forwarded("203.0.113.9"), Set.of())).isEqualTo(PROXY);
        assertThat(ClientAddress.of(PROXY, new DefaultHttpHeaders(), trusted)).isEqualTo(PROXY);
        // A name would mean a DNS lookup on an I/O thread: never taken.
        assertThat(ClientAddress.of(PROXY, forwarded("evil.example"), trusted)).isEqualTo(PROXY);
        assertThat(ClientAddress.of(PROXY, forwarded("999.1.1.1"), trusted)).isEqualTo(PROXY);
    }

    @Test
    void theOptionTakesAddressesOnly() {
        assertThat(ClientAddress.parse(" 10.0.0.2 ").getHostAddress()).isEqualTo("10.0.0.2");
        assertThatThrownBy(() -> ClientAddress.parse("proxy.example")).hasMessageContaining("IP addresses");
    }

    private static HttpHeaders forwarded(String value) {
        return new DefaultHttpHeaders().add("X-Forwarded-For", value);
    }
}
