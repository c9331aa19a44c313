package app.parley.app;

import app.parley.cluster.ClusterTarget;
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
import app.parley.store.PostgresTarget;
import java.util.Set;

/** Wires the start screen to the real host and client. */
final class DefaultSessionFactory implements SessionFactory {
    private final String bindAddress;
    private final HostConfig.Tls tls;
    private final boolean webClient;
    private final boolean mayAdvertise;
    /** The shared history and the cluster the command line names ({@code --store}, {@code --cluster}), or null. */
    private final PostgresTarget store;

    private final ClusterTarget cluster;

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
                null,
                null);
    }

    private DefaultSessionFactory(
            String bindAddress,
            HostConfig.Tls tls,
            boolean webClient,
            boolean mayAdvertise,
            PostgresTarget store,
            ClusterTarget cluster) {
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.webClient = webClient;
        this.mayAdvertise = mayAdvertise;
        this.store = store;
        this.cluster = cluster;
    }

    /**
     * Hosts with the history in {@code sharedStore} rather than this machine's SQLite file, and as
     * one server of {@code sharedCluster}: a window host of a cluster, as parley-host is (either may
     * be null).
     */
    DefaultSessionFactory sharing(PostgresTarget sharedStore, ClusterTarget sharedCluster) {
        return new DefaultSessionFactory(bindAddress, tls, webClient, mayAdvertise, sharedStore, sharedCluster);
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
            HostConfig config = new HostConfig(bindAddress, port, allowedOrigins, password)
                    .withHistory(DataDir.history(port))
                    .withStore(store)
                    .withCluster(cluster)
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
