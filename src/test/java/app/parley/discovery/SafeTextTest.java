package app.parley.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cleaning of advertised text and the network test of advertised addresses, without a network. */
class SafeTextTest {
    @Test
    void controlCharactersShowAsReplacementsAndFormatCharactersGo() {
        assertThat(SafeText.clean("a\u0007b\u001bc", 10)).isEqualTo("a\uFFFDb\uFFFDc");
        assertThat(SafeText.clean("\u202Eevil\u2066\u200B\u200D\uFEFFname", 20)).isEqualTo("evilname");
        assertThat(SafeText.clean("  tab\there \n  and   there ", 40)).isEqualTo("tab here and there");
        assertThat(SafeText.clean("\uD800lonely", 10)).isEqualTo("lonely");
        assertThat(SafeText.clean(null, 10)).isEmpty();
    }

    @Test
    void lengthsAreCappedWithoutSplittingACharacter() {
        assertThat(SafeText.clean("x".repeat(100_000), 63)).hasSize(63);
        assertThat(SafeText.clean("😀".repeat(100), 5)).isEqualTo("😀".repeat(5));
        String cut = SafeText.cutToBytes("é".repeat(40), 63);
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(62);
        assertThat(cut).isEqualTo("é".repeat(31));
    }

    @Test
    void keysAreStablePrintableAndKeepDistinctNamesDistinct() {
        assertThat(ServiceReader.keyOf("Alice")).isEqualTo("alice");
        assertThat(ServiceReader.keyOf("Alice\u200B")).isNotEqualTo(ServiceReader.keyOf("Alice"));
        assertThat(ServiceReader.keyOf("Bob\u202E\n")).matches("[\\x20-\\x7e]+");
    }

    @Test
    void anAddressMustLieInTheNetworkItArrivedOn() throws Exception {
        LocalNetwork lan = new LocalNetwork((Inet4Address) InetAddress.getByName("192.168.1.20"), 24, "eth0");
        assertThat(lan.contains(InetAddress.getByName("192.168.1.99"))).isTrue();
        assertThat(lan.contains(InetAddress.getByName("192.168.2.99"))).isFalse();
        assertThat(lan.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(lan.contains(InetAddress.getByName("224.0.0.251"))).isFalse();
        assertThat(lan.contains(InetAddress.getByName("fe80::1"))).isFalse();
        LocalNetwork wide = new LocalNetwork((Inet4Address) InetAddress.getByName("10.1.2.3"), 8, "eth1");
        assertThat(wide.contains(InetAddress.getByName("10.200.0.1"))).isTrue();
        assertThat(wide.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    }
}
