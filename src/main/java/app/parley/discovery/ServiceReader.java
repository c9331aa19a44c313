package app.parley.discovery;

import app.parley.session.NearbySession;
import java.net.Inet4Address;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.jmdns.ServiceInfo;

/**
 * Turns what the network announced into a {@link NearbySession}, or refuses it. Nothing in an
 * advertisement is trusted: names and values are cleaned and capped, an oversized TXT record, a
 * foreign path, a malformed fingerprint or an address outside the network it arrived on is
 * refused, and nothing here throws.
 */
final class ServiceReader {
    /** A Parley host's TXT record is about 150 bytes; one far larger is not one of ours. */
    static final int MAX_TEXT_BYTES = 1024;
    /** Code points of a name shown to people (a DNS label holds 63 bytes anyway). */
    static final int MAX_NAME = 63;
    /** Code points of the advertised version shown. */
    static final int MAX_VERSION = 32;

    private static final Pattern FINGERPRINT = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){31}");

    private ServiceReader() {}

    /** The key a service is known by: its instance name, case folded, escaped to printable ASCII. */
    static String keyOf(String instanceName) {
        return SafeText.escaped(String.valueOf(instanceName).toLowerCase(Locale.ROOT));
    }

    /**
     * @param info    what JmDNS resolved
     * @param arrived the network the advertisement came in on
     * @return the session, or empty when the advertisement is not usable
     */
    static Optional<NearbySession> read(ServiceInfo info, LocalNetwork arrived) {
        try {
            return readUnsafely(info, arrived);
        } catch (RuntimeException e) {
            // A library's parse of a hostile record may fail in ways nobody listed: refuse the record.
            return Optional.empty();
        }
    }

    private static Optional<NearbySession> readUnsafely(ServiceInfo info, LocalNetwork arrived) {
        if (info == null || info.getName() == null) {
            return Optional.empty();
        }
        byte[] text = info.getTextBytes();
        if (text != null && text.length > MAX_TEXT_BYTES) {
            return Optional.empty();
        }
        String name = SafeText.clean(info.getName(), MAX_NAME);
        int port = info.getPort();
        if (name.isEmpty() || port < 1 || port > 65535) {
            return Optional.empty();
        }
        String path = info.getPropertyString(DnsSd.PATH);
        if (!DnsSd.SOCKET_IO_PATH.equals(path)) {
            // Every Parley host sends it: without it the TXT record has not arrived yet (or this is
            // not a Parley host), and a host at another path cannot be joined by this client.
            return Optional.empty();
        }
        Inet4Address address = null;
        for (Inet4Address candidate : info.getInet4Addresses()) {
            if (arrived.contains(candidate)) {
                address = candidate;
                break;
            }
        }
        if (address == null) {
            return Optional.empty();
        }
        boolean tls = "1".equals(info.getPropertyString(DnsSd.TLS));
        String fingerprint = "";
        String advertisedPrint = info.getPropertyString(DnsSd.FINGERPRINT);
        if (tls && advertisedPrint != null) {
            if (!FINGERPRINT.matcher(advertisedPrint).matches()) {
                return Optional.empty();
            }
            fingerprint = advertisedPrint.toUpperCase(Locale.ROOT);
        }
        return Optional.of(new NearbySession(
                keyOf(info.getName()),
                name,
                address.getHostAddress(),
                port,
                tls,
                fingerprint,
                "1".equals(info.getPropertyString(DnsSd.PASSWORD)),
                "1".equals(info.getPropertyString(DnsSd.WEB)),
                SafeText.clean(info.getPropertyString(DnsSd.VERSION), MAX_VERSION)));
    }
}
