package app.parley.app;

import app.parley.discovery.Browser;
import app.parley.host.HostConfig;
import app.parley.host.HostException;
import app.parley.host.HostSession;
import app.parley.join.ClientConnection;
import app.parley.join.JoinTarget;
import app.parley.session.Advertising;
import app.parley.session.ChatSession;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import app.parley.session.SessionException;
import app.parley.session.SessionFactory;
import java.util.Set;

/** Wires the start screen to the real host and client. */
final class DefaultSessionFactory implements SessionFactory {
    private final String bindAddress;
    private final HostConfig.Tls tls;
    private final boolean webClient;
    private final boolean mayAdvertise;
    /**
     * What the command line gave the host (rates, limits, files, the recovery window, --store,
     * --cluster, --history), or null for the defaults; the start screen's port, origins, password
     * and choices win over it.
     */
    private final HostConfig commandLine;

    /** @param tls the certificate to use when hosting securely (Parley's own unless the user gave one) */
    DefaultSessionFactory(String bindAddress, HostConfig.Tls tls) {
        this(bindAddress, tls, true, true);
    }

    /**
     * @param webClient    serve the browser client ({@code --no-web} says no)
     * @param mayAdvertise let the start screen's checkbox announce the session ({@code --no-advertise}
     *                     says no for this run, without changing the remembered choice)
     */
    DefaultSessionFactory(String bindAddress, HostConfig.Tls tls, boolean webClient, boolean mayAdvertise) {
        this(
                bindAddress,
                tls == null ? HostConfig.Tls.generated(DataDir.hostIdentity()) : tls,
                webClient,
                mayAdvertise,
                null);
    }

    private DefaultSessionFactory(
            String bindAddress, HostConfig.Tls tls, boolean webClient, boolean mayAdvertise, HostConfig commandLine) {
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.webClient = webClient;
        this.mayAdvertise = mayAdvertise;
        this.commandLine = commandLine;
    }

    /**
     * Hosts with what the command line gave ({@code --chat-rate}, {@code --packet-rate},
     * {@code --max-file-size}, {@code --store}, {@code --cluster}...), as parley-host would: a
     * window host of a cluster, or one with other limits. Its bind address and {@code --no-web}
     * are this factory's; its port, origins and password are the start screen's.
     */
    DefaultSessionFactory withHostOptions(HostConfig fromCommandLine) {
        return new DefaultSessionFactory(bindAddress, tls, webClient, mayAdvertise, fromCommandLine);
    }

    @Override
    public HostedSession host(
            int port,
            Set<String> allowedOrigins,
            String password,
            boolean secure,
            Identity identity,
            Advertising advertising) {
        try {
            HostConfig base = commandLine != null ? commandLine : new HostConfig(bindAddress, port, allowedOrigins);
            HostConfig config = new HostConfig(bindAddress, port, allowedOrigins, password)
                    .withChatRate(base.chatRate())
                    .withLimits(base.limits())
                    .withFiles(base.files())
                    .withRecoveryWindow(base.recoveryWindow())
                    .withHistory(base.history() != null ? base.history() : DataDir.history(port))
                    .withStore(base.store())
                    .withCluster(base.cluster())
                    .withWebClient(webClient)
                    .withAdvertising(mayAdvertise ? advertising : Advertising.OFF);
            return HostSession.start(secure ? config.withTls(tls) : config, identity, DataDir.outboxes());
        } catch (HostException | IllegalArgumentException e) {
            throw new SessionException(e.getMessage());
        }
    }

    @Override
    public ChatSession join(String typedAddress, String password, Identity identity) {
        return join(typedAddress, null, password, identity);
    }

    /** Joins where the advertisement points; a TLS host must present the certificate it advertised. */
    @Override
    public ChatSession join(NearbySession nearby, String password, Identity identity) {
        String advertised = nearby.tls() && !nearby.fingerprint().isEmpty() ? nearby.fingerprint() : null;
        return join(nearby.address(), advertised, password, identity);
    }

    /** Browses every network of this machine for hosts that announce themselves. */
    @Override
    public NearbySessions nearby() {
        return new Browser();
    }

    private static ChatSession join(String address, String advertisedFingerprint, String password, Identity identity) {
        try {
            return new ClientConnection(
                    JoinTarget.parse(address),
                    ClientConnection.Options.builder()
                            .password(password)
                            .identity(identity)
                            .knownHosts(DataDir.knownHosts())
                            .advertisedFingerprint(advertisedFingerprint)
                            .outboxes(DataDir.outboxes())
                            .build());
        } catch (IllegalArgumentException e) {
            throw new SessionException(e.getMessage());
        }
    }
}
