package app.parley.host;

import app.parley.cluster.ClusterTarget;
import app.parley.engine.EngineLimits;
import app.parley.engine.OriginPolicy;
import app.parley.engine.TlsIdentity;
import app.parley.session.Advertising;
import app.parley.store.PostgresTarget;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a host listens.
 *
 * @param bindAddress    interface to listen on: {@code 0.0.0.0} for the LAN, {@code 127.0.0.1} for tests
 * @param port           TCP port, or 0 for any free port
 * @param allowedOrigins browser origins allowed to connect ({@code "*"} allows any); clients that
 *                       send no Origin header (desktop, Node) are not affected
 * @param password       what clients must send as {@code auth.password} in their CONNECT, or
 *                       empty for an open host
 * @param chatRate       how many chat events one connection may send: a burst, then per second
 * @param tls            serve {@code https}/{@code wss} with this certificate, or null for plain
 *                       {@code http}
 * @param limits         what one peer may take from the engine (connections, packet rate)
 * @param history        the SQLite file that keeps the conversation across restarts, or null
 *                       for a history that lasts as long as the host (a temporary file)
 * @param webClient      whether to serve Parley's browser client at {@code /} on the same port
 *                       (docs/PROTOCOL.md, "What else the host serves")
 * @param advertising    whether (and as what) the host announces itself on the local network
 *                       (DNS-SD); off unless asked for
 * @param files          the limits on shared files (docs/PROTOCOL.md §15.4)
 * @param store          the PostgreSQL database that keeps the history instead of {@code history}
 *                       (several hosts may share it), or null for SQLite
 * @param cluster        the Redis that makes this host one server of a cluster (docs/PROTOCOL.md §19),
 *                       or null for a host on its own
 * @param recoveryWindow how long a Socket.IO client that lost its connection may recover its
 *                       session (docs/PROTOCOL.md §16); zero turns recovery off
 */
public record HostConfig(
        String bindAddress,
        int port,
        Set<String> allowedOrigins,
        String password,
        ChatRate chatRate,
        Tls tls,
        EngineLimits limits,
        Path history,
        boolean webClient,
        Advertising advertising,
        FileLimits files,
        PostgresTarget store,
        ClusterTarget cluster,
        java.time.Duration recoveryWindow) {
    /** Node's default {@code maxDisconnectionDuration}. */
    public static final java.time.Duration DEFAULT_RECOVERY_WINDOW = java.time.Duration.ofMinutes(2);

    /**
     * What people may share (docs/PROTOCOL.md §15.4); each refusal names its limit.
     *
     * @param maxFileBytes     the largest file taken
     * @param quotaBytes       the most all files may take on disk together (the oldest are deleted to
     *                         make room), or 0 for no limit
     * @param maxPicturePixels the largest picture, width times height, read from its header (a
     *                         decompression bomb declares billions)
     */
    public record FileLimits(long maxFileBytes, long quotaBytes, long maxPicturePixels) {
        /** 100 MB files, no quota, 50 million pixels. */
        public static final FileLimits DEFAULT = new FileLimits(100_000_000L, 0, 50_000_000L);

        public FileLimits {
            if (maxFileBytes < 1 || quotaBytes < 0 || maxPicturePixels < 1) {
                throw new IllegalArgumentException("file limits must be positive");
            }
        }

        public FileLimits withMaxFileBytes(long bytes) {
            return new FileLimits(bytes, quotaBytes, maxPicturePixels);
        }

        public FileLimits withQuotaBytes(long bytes) {
            return new FileLimits(maxFileBytes, bytes, maxPicturePixels);
        }
    }

    /**
     * Where the host's certificate comes from.
     *
     * @param keyStore a PKCS#12 file
     * @param password its password, or null for Parley's own generated certificate (made on first
     *                 use, its password kept beside it)
     */
    public record Tls(Path keyStore, String password) {
        /** Parley's own self-signed certificate, kept in {@code keyStore} (made there on first use). */
        public static Tls generated(Path keyStore) {
            return new Tls(keyStore, null);
        }

        TlsIdentity identity() {
            return password == null
                    ? TlsIdentity.loadOrCreate(keyStore, JoinAddresses.certificateNames())
                    : TlsIdentity.load(keyStore, password.toCharArray());
        }

        @Override
        public String toString() {
            return "Tls[" + keyStore + "]";
        }
    }

    /**
     * Chat events (messages, joins, leaves, custom events, peer lists) one connection may send: a
     * token bucket of {@code burst} refilled at {@code perSecond}. Past it, the event is refused
     * with a reason and nothing else happens.
     */
    public record ChatRate(int burst, int perSecond) {
        /** Bursts of 60, then 20 a second: far above typing, well below a flood. */
        public static final ChatRate DEFAULT = new ChatRate(60, 20);

        public ChatRate {
            if (burst < 1 || perSecond < 1) {
                throw new IllegalArgumentException("chat rate must be positive");
            }
        }
    }

    public static final int DEFAULT_PORT = 3000;
    /** The seed's page origin. */
    public static final String DEFAULT_ORIGIN = "http://localhost:8080";

    public HostConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535, not " + port);
        }
        Set<String> normalised = new LinkedHashSet<>();
        for (String origin : allowedOrigins) {
            String trimmed = origin.strip();
            if (!trimmed.isEmpty()) {
                normalised.add(normaliseOrigin(trimmed));
            }
        }
        allowedOrigins = Set.copyOf(normalised);
        password = password == null ? "" : password;
        chatRate = chatRate == null ? ChatRate.DEFAULT : chatRate;
        limits = limits == null ? EngineLimits.DEFAULT : limits;
        advertising = advertising == null ? Advertising.OFF : advertising;
        files = files == null ? FileLimits.DEFAULT : files;
        recoveryWindow = recoveryWindow == null ? DEFAULT_RECOVERY_WINDOW : recoveryWindow;
        if (recoveryWindow.isNegative()) {
            throw new IllegalArgumentException("the recovery window cannot be negative");
        }
    }

    public HostConfig(String bindAddress, int port, Set<String> allowedOrigins, String password) {
        this(
                bindAddress,
                port,
                allowedOrigins,
                password,
                ChatRate.DEFAULT,
                null,
                EngineLimits.DEFAULT,
                null,
                true,
                Advertising.OFF,
                FileLimits.DEFAULT,
                null,
                null,
                DEFAULT_RECOVERY_WINDOW);
    }

    /** An open host: no password. */
    public HostConfig(String bindAddress, int port, Set<String> allowedOrigins) {
        this(bindAddress, port, allowedOrigins, "");
    }

    public HostConfig withPassword(String newPassword) {
        return with(c -> c.password = newPassword);
    }

    /** Makes the host one server of the cluster on this Redis ({@code --cluster}), or on its own again for null. */
    public HostConfig withCluster(ClusterTarget newCluster) {
        return with(c -> c.cluster = newCluster);
    }

    public HostConfig withRecoveryWindow(java.time.Duration window) {
        return with(c -> c.recoveryWindow = window);
    }

    public boolean requiresPassword() {
        return !password.isEmpty();
    }

    /** Keeps the password out of logs and stack traces. */
    @Override
    public String toString() {
        return "HostConfig[" + bindAddress + ":" + port + ", origins=" + allowedOrigins
                + (tls == null ? "" : ", " + tls) + (webClient ? "" : ", no web client")
                + (requiresPassword() ? ", password set]" : "]");
    }

    /** Listens on every interface on the given port, allowing the seed's browser origin. */
    public static HostConfig lan(int port) {
        return new HostConfig("0.0.0.0", port, Set.of(DEFAULT_ORIGIN));
    }

    /** Loopback only, any free port: what tests use. */
    public static HostConfig loopback(Set<String> allowedOrigins) {
        return new HostConfig("127.0.0.1", 0, allowedOrigins);
    }

    public HostConfig withPort(int newPort) {
        return with(c -> c.port = newPort);
    }

    public HostConfig withTls(Tls newTls) {
        return with(c -> c.tls = newTls);
    }

    /** {@code https} when serving TLS, else {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    public HostConfig withLimits(EngineLimits newLimits) {
        return with(c -> c.limits = newLimits);
    }

    public HostConfig withChatRate(ChatRate newRate) {
        return with(c -> c.chatRate = newRate);
    }

    /** Serves the browser client, or not ({@code --no-web}). */
    public HostConfig withWebClient(boolean serve) {
        return with(c -> c.webClient = serve);
    }

    /** Keeps history in {@code file}, where it survives restarts (the app uses its data directory). */
    public HostConfig withHistory(Path file) {
        return with(c -> c.history = file);
    }

    /** Keeps history in PostgreSQL ({@code --store}), or in SQLite again for null. */
    public HostConfig withStore(PostgresTarget newStore) {
        return with(c -> c.store = newStore);
    }

    /** Announces the host on the local network as {@code newAdvertising} says (bound to loopback: never). */
    public HostConfig withAdvertising(Advertising newAdvertising) {
        return with(c -> c.advertising = newAdvertising);
    }

    /** Takes shared files within {@code newFiles}. */
    public HostConfig withFiles(FileLimits newFiles) {
        return with(c -> c.files = newFiles);
    }

    /** This config with what {@code change} sets on a copy of its components, checked again. */
    private HostConfig with(java.util.function.Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new HostConfig(
                c.bindAddress,
                c.port,
                c.allowedOrigins,
                c.password,
                c.chatRate,
                c.tls,
                c.limits,
                c.history,
                c.webClient,
                c.advertising,
                c.files,
                c.store,
                c.cluster,
                c.recoveryWindow);
    }

    /** The components of a config, for the withers to set one or two of. */
    private static final class Components {
        String bindAddress;
        int port;
        Set<String> allowedOrigins;
        String password;
        ChatRate chatRate;
        Tls tls;
        EngineLimits limits;
        Path history;
        boolean webClient;
        Advertising advertising;
        FileLimits files;
        PostgresTarget store;
        ClusterTarget cluster;
        java.time.Duration recoveryWindow;

        Components(HostConfig from) {
            bindAddress = from.bindAddress;
            port = from.port;
            allowedOrigins = from.allowedOrigins;
            password = from.password;
            chatRate = from.chatRate;
            tls = from.tls;
            limits = from.limits;
            history = from.history;
            webClient = from.webClient;
            advertising = from.advertising;
            files = from.files;
            store = from.store;
            cluster = from.cluster;
            recoveryWindow = from.recoveryWindow;
        }
    }

    /** What the engine enforces: any origin (without credentials) for {@code "*"}, else the list. */
    public OriginPolicy originPolicy() {
        return allowedOrigins.contains("*") ? OriginPolicy.any() : OriginPolicy.only(this::allowsOrigin);
    }

    public boolean allowsOrigin(String origin) {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(normaliseOrigin(origin));
    }

    /** Origins compare case-insensitively and without a trailing slash. */
    static String normaliseOrigin(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
