package app.parley.engine;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;

/**
 * The certificate and key a host serves {@code https}/{@code wss} with, from a PKCS#12 file:
 * one the user supplies, or one Parley generates on first use and keeps (a self-signed EC P-256
 * certificate, valid ten years, made with the JDK's own {@code keytool}, naming the machine's
 * host names and addresses). Only TLS 1.2 and 1.3 are offered, and clients may not renegotiate
 * ({@link RenegotiationGuard}). Joiners pin its SHA-256 fingerprint on first use.
 */
public final class TlsIdentity {
    private static final String ALIAS = "parley-host";
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** A DNS name keytool accepts in a subjectAltName (RFC 1123 labels). */
    private static final Pattern DNS_NAME =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final KeyManagerFactory keyManagers;
    private final X509Certificate certificate;

    private TlsIdentity(KeyManagerFactory keyManagers, X509Certificate certificate) {
        this.keyManagers = keyManagers;
        this.certificate = certificate;
    }

    /** Loads a PKCS#12 file (its first key entry). */
    public static TlsIdentity load(Path keyStore, char[] password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            String alias = null;
            for (String candidate : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(candidate)) {
                    alias = candidate;
                    break;
                }
            }
            if (alias == null) {
                throw new EngineException(keyStore + " holds no private key", null);
            }
            Certificate cert = store.getCertificate(alias);
            if (!(cert instanceof X509Certificate x509)) {
                throw new EngineException(keyStore + " holds no X.509 certificate", null);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return new TlsIdentity(kmf, x509);
        } catch (IOException | GeneralSecurityException e) {
            throw new EngineException("Could not read the TLS key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /**
     * The identity kept in {@code keyStore} (its password beside it in {@code <name>.password},
     * readable by the owner only), generated there first if it does not exist yet. A key store
     * that exists is used as it is, even one made before its certificate named anything: joiners
     * have pinned that certificate, and a new one would look to them like an impostor.
     *
     * @param subjectNames what a new certificate names as its subjectAltName: host names and
     *                     IP addresses ({@code localhost}, {@code 192.168.1.20}, {@code ::1});
     *                     names keytool would not take are left out
     */
    public static TlsIdentity loadOrCreate(Path keyStore, List<String> subjectNames) {
        Path passwordFile = keyStore.resolveSibling(keyStore.getFileName() + ".password");
        try {
            if (!Files.exists(keyStore)) {
                Files.createDirectories(keyStore.toAbsolutePath().getParent());
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                writePrivately(passwordFile, password);
                generate(keyStore, password, subjectNames);
                restrict(keyStore);
            }
            String password =
                    Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            return load(keyStore, password.toCharArray());
        } catch (IOException e) {
            throw new EngineException(
                    "Could not create the host's TLS certificate in " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /** Netty's server context: this key, TLS 1.2 and 1.3 only. */
    SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(keyManagers).protocols(PROTOCOLS).build();
        } catch (IOException e) {
            throw new EngineException("Could not set up TLS: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate, as {@code AB:CD:…} (what browsers and {@code openssl} show). */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * keytool's {@code -ext} value for a subjectAltName: {@code dns:…} and {@code ip:…} entries.
     * A leaf certificate ({@code CA:false}, critical): Firefox refuses a server certificate that
     * says it is a CA, even one the user accepted; OpenSSL and the JDK trust a self-signed leaf
     * that is pinned or in their trust store. Key usage: ECDSA signatures for TLS servers only.
     */
    static List<String> extensions(List<String> subjectNames) {
        StringJoiner san = new StringJoiner(",", "SAN=", "");
        for (String name : new LinkedHashSet<>(subjectNames)) {
            String bare = name.replaceAll("%.*$", "");
            if (IPV4.matcher(bare).matches() || IPV6.matcher(bare).matches()) {
                san.add("ip:" + bare);
            } else if (DNS_NAME.matcher(bare).matches() && bare.length() <= 253) {
                san.add("dns:" + bare);
            }
        }
        List<String> extensions = new ArrayList<>(
                List.of("-ext", "BC:c=ca:false", "-ext", "KU:c=digitalSignature", "-ext", "EKU=serverAuth"));
        if (san.length() > "SAN=".length()) {
            extensions.addAll(List.of("-ext", san.toString()));
        }
        return extensions;
    }

    private static void generate(Path keyStore, String password, List<String> subjectNames) throws IOException {
        // The running runtime's own keytool: a JDK's, or the one jlink put in the installed app
        // (its launcher is not the java binary, so java.home, not the process, says where).
        boolean windows = isWindows();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
        List<String> command = new ArrayList<>(List.of(
                keytool.toString(),
                "-genkeypair",
                "-noprompt",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-validity",
                "3650",
                "-dname",
                "CN=Parley host",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass:env",
                "PARLEY_TLS_STOREPASS"));
        command.addAll(extensions(subjectNames));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PARLEY_TLS_STOREPASS", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the certificate", e);
        }
    }

    private static void writePrivately(Path file, String text) throws IOException {
        if (isWindows()) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } else {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    private static void restrict(Path file) throws IOException {
        if (!isWindows()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
