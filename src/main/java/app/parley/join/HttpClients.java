package app.parley.join;

import app.parley.session.SessionEvent;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/** The HTTP side of one connection: its own OkHttp client for polling, trust on first use for TLS. */
final class HttpClients {
    static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);

    private HttpClients() {}

    /** Trust on first use for an {@code https} or {@code wss} address; null for a plain one. */
    static TrustOnFirstUse trustFor(URI uri, ClientConnection.Options options, Consumer<SessionEvent> publish) {
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        return new TrustOnFirstUse(
                endpointOf(uri),
                options.knownHosts(),
                options.pinnedFingerprint(),
                options.advertisedFingerprint(),
                fingerprint -> publish.accept(new SessionEvent.Notice("First secure connection to " + endpointOf(uri)
                        + ". Its certificate fingerprint (SHA-256) is " + fingerprint + ". Parley remembers it"
                        + " and will refuse this address if the certificate ever changes.")));
    }

    /**
     * Our own OkHttp client, so close() can stop its threads; the library's shared one keeps the
     * JVM alive for a minute after the last socket closes.
     *
     * @param trust for TLS, or null
     */
    static OkHttpClient client(TrustOnFirstUse trust) {
        OkHttpClient.Builder builder =
                new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES).connectTimeout(CONNECT_TIMEOUT);
        if (trust != null) {
            builder.sslSocketFactory(tlsSocketFactory(trust), trust)
                    // The certificate is pinned by fingerprint; the name in it does not matter.
                    .hostnameVerifier((host, session) -> true);
        }
        return builder.build();
    }

    private static javax.net.ssl.SSLSocketFactory tlsSocketFactory(TrustOnFirstUse trust) {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }

    private static String endpointOf(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        return uri.getHost() + ":" + port;
    }
}
