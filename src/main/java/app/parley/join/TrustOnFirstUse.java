package app.parley.join;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust on first use, as SSH does: a Parley host's certificate is self-signed, so no authority
 * vouches for it. The first time a host is joined its SHA-256 fingerprint is remembered in the
 * known-hosts file ({@code host:port fingerprint} per line) and shown to the person; from then on
 * only that certificate is accepted for that address, and a different one is refused loudly.
 * A fingerprint given up front (the host joining itself) is trusted without asking. A host found
 * on the local network announced its fingerprint: met for the first time, it must present that
 * certificate; one already remembered for the address still decides.
 */
final class TrustOnFirstUse extends X509ExtendedTrustManager {
    private final String address;
    private final Path knownHosts;
    private final String pinned;
    private final String advertised;
    private final Consumer<String> firstUse;
    private volatile String refusal;

    /**
     * @param address    {@code host:port} as the joiner typed it
     * @param knownHosts where fingerprints are remembered (created when needed), or null to remember none
     * @param pinned     a fingerprint to accept without consulting the file, or null
     * @param advertised the fingerprint the host announced on the network, or null
     * @param firstUse   told the fingerprint when a host is met for the first time
     */
    TrustOnFirstUse(String address, Path knownHosts, String pinned, String advertised, Consumer<String> firstUse) {
        this.address = address;
        this.knownHosts = knownHosts;
        this.pinned = pinned;
        this.advertised = advertised;
        this.firstUse = firstUse;
    }

    /** Why the last certificate was refused, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the host sent no certificate");
        }
        String seen = fingerprint(chain[0]);
        if (pinned != null) {
            if (!pinned.equals(seen)) {
                throw refuse("The host's certificate is not the one it announced (" + seen + ")");
            }
            return;
        }
        synchronized (TrustOnFirstUse.class) {
            Map<String, String> known = read();
            String remembered = known.get(address);
            if (remembered == null) {
                if (advertised != null && !advertised.equalsIgnoreCase(seen)) {
                    throw refuse("The certificate of " + address + " is NOT the one it announced on this network."
                            + " Announced " + advertised + ", presented " + seen + ". Someone may be posing as"
                            + " this host, so Parley refuses it.");
                }
                known.put(address, seen);
                write(known);
                firstUse.accept(seen);
            } else if (!remembered.equals(seen)) {
                throw refuse("The certificate of " + address + " has CHANGED since you first joined it. Remembered "
                        + remembered + ", now " + seen + ". Someone may be intercepting the connection, so Parley "
                        + "refuses it. If the host really replaced its certificate, remove its line from "
                        + knownHosts);
            }
        }
    }

    private CertificateException refuse(String why) {
        refusal = why;
        return new CertificateException(why);
    }

    // The extended forms, so the TLS stack leaves the host name alone: the certificate is pinned by
    // its fingerprint, and a host met by its address has a name in it that is not that address.
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("Parley does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    private Map<String, String> read() throws CertificateException {
        Map<String, String> known = new LinkedHashMap<>();
        try {
            if (knownHosts != null && Files.exists(knownHosts)) {
                for (String line : Files.readAllLines(knownHosts, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length == 2 && !parts[0].startsWith("#")) {
                        known.put(parts[0], parts[1]);
                    }
                }
            }
            return known;
        } catch (IOException e) {
            throw new CertificateException("Could not read " + knownHosts + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<String, String> known) throws CertificateException {
        if (knownHosts == null) {
            return; // no file handed in: trusted for this connection only
        }
        StringBuilder out = new StringBuilder("# Parley: TLS certificates of hosts joined (address SHA-256)\n");
        known.forEach(
                (host, print) -> out.append(host).append(' ').append(print).append('\n'));
        try {
            Files.createDirectories(knownHosts.toAbsolutePath().getParent());
            Files.writeString(knownHosts, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CertificateException(
                    "Could not remember the certificate in " + knownHosts + ": " + e.getMessage(), e);
        }
    }
}
