package app.parley.discovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a running host on the local network as DNS-SD service {@code _parley._tcp}, on every
 * network it can be reached on (docs/PROTOCOL.md, "Finding hosts"). A host bound to loopback
 * announces nothing. Advertising is a courtesy: when it cannot start the host still serves, and
 * the reason is logged.
 *
 * <pre>{@code
 * Advertiser advertiser = Advertiser.start("0.0.0.0", new Advertiser.Advertisement("Alice", port, ...));
 * ...
 * advertiser.close(); // goodbye: others drop it from their lists at once
 * }</pre>
 */
public final class Advertiser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Advertiser.class);
    /** How long close() waits for the goodbyes; the first leaves at once, the repeats go on after. */
    static final long GOODBYE_WAIT_MILLIS = 300;

    /**
     * What a host tells the network about itself.
     *
     * @param sessionName the instance name people see (cut to a DNS label's 63 bytes; blank: "Parley")
     * @param port        the bound Socket.IO port
     * @param version     Parley's version, for the {@code v} key
     * @param tls         whether it serves {@code https}/{@code wss}
     * @param fingerprint the TLS certificate's SHA-256 fingerprint ({@code AB:CD:…}), or null
     * @param password    whether joining needs a password
     * @param web         whether it serves a browser page (Parley's host does not, yet)
     */
    public record Advertisement(
            String sessionName,
            int port,
            String version,
            boolean tls,
            String fingerprint,
            boolean password,
            boolean web) {
        public Advertisement {
            Objects.requireNonNull(sessionName, "sessionName");
            version = version == null ? "" : version;
        }

        /** The instance name as announced: cleaned, at most 63 bytes, never empty. */
        String instanceName() {
            String name = SafeText.cutToBytes(SafeText.clean(sessionName, 63), DnsSd.MAX_NAME_BYTES)
                    .replace('.', ' ')
                    .strip();
            return name.isEmpty() ? "Parley" : name;
        }

        /** The TXT record's keys, in the order they are written. */
        Map<String, String> text() {
            Map<String, String> text = new LinkedHashMap<>();
            text.put(DnsSd.VERSION, SafeText.cutToBytes(SafeText.clean(version, 32), 32));
            text.put(DnsSd.PATH, DnsSd.SOCKET_IO_PATH);
            text.put(DnsSd.TLS, tls ? "1" : "0");
            if (tls && fingerprint != null) {
                text.put(DnsSd.FINGERPRINT, fingerprint);
            }
            text.put(DnsSd.PASSWORD, password ? "1" : "0");
            text.put(DnsSd.WEB, web ? "1" : "0");
            return text;
        }
    }

    private final List<JmDNS> responders;
    private final List<String> addresses;
    private final String instanceName;

    private Advertiser(List<JmDNS> responders, List<String> addresses, String instanceName) {
        this.responders = responders;
        this.addresses = addresses;
        this.instanceName = instanceName;
    }

    /** Advertising that announces nothing (loopback, or switched off). */
    public static Advertiser none() {
        return new Advertiser(List.of(), List.of(), "");
    }

    /**
     * Starts announcing {@code advertisement} on every network a host bound to {@code bindAddress}
     * is reachable on. Returns at once; the first announcement follows within about two seconds,
     * and any query is answered from then on. Never throws.
     */
    public static Advertiser start(String bindAddress, Advertisement advertisement) {
        return start(LocalNetwork.reachedBy(bindAddress), advertisement);
    }

    static Advertiser start(List<LocalNetwork> networks, Advertisement advertisement) {
        List<JmDNS> responders = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        String name = advertisement.instanceName();
        for (LocalNetwork network : networks) {
            JmDNS responder = null;
            try {
                responder = Responders.open(network);
                responder.registerService(
                        ServiceInfo.create(DnsSd.SERVICE_TYPE, name, advertisement.port(), 0, 0, advertisement.text()));
                responders.add(responder);
                addresses.add(network.address().getHostAddress());
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "Could not announce the session on {} ({}): {}",
                        network.interfaceName(),
                        network.address().getHostAddress(),
                        e.toString());
                if (responder != null) {
                    Responders.closeAll(List.of(responder), 0);
                }
            }
        }
        if (!addresses.isEmpty()) {
            LOG.info(
                    "Announcing \"{}\" on this network ({}) as {}",
                    name,
                    String.join(", ", addresses),
                    DnsSd.SERVICE_TYPE);
        }
        return new Advertiser(List.copyOf(responders), List.copyOf(addresses), name);
    }

    /** The addresses it announces the session on; empty when it announces nothing. */
    public List<String> addresses() {
        return addresses;
    }

    /** The DNS-SD instance name it asked for (a clash on the network may make the library add a number). */
    public String instanceName() {
        return instanceName;
    }

    /** Says goodbye on every network and stops every thread; waits a fraction of a second at most. */
    @Override
    public void close() {
        Responders.closeAll(responders, GOODBYE_WAIT_MILLIS);
    }
}
