package app.parley.app;

import app.parley.admin.AdminAccount;
import app.parley.cluster.ClusterTarget;
import app.parley.engine.ClientAddress;
import app.parley.engine.EngineLimits;
import app.parley.host.HostConfig;
import app.parley.session.Advertising;
import app.parley.store.PostgresTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the command line asked for.
 *
 * <pre>
 * parley                                   start screen
 * parley --host [--port N] [--origins a,b] host at once, with a window
 * parley --host --headless [--port N]      host with no window; stops on Ctrl+C / SIGTERM
 *                                          (announced on the local network unless --no-advertise)
 * parley --host --no-web                   host without serving the browser client at /
 * parley --join URL                        join at once
 * parley --workbench                       the Socket.IO workbench, to test any server
 * parley --self-check                      host on a free port, join it, exchange a message, exit 0
 * parley --check-cluster --store URL       is the shared PostgreSQL reachable and its schema current? exit 0/1
 * </pre>
 */
record LaunchOptions(
        Mode mode,
        int port,
        String bind,
        Set<String> origins,
        String joinUrl,
        boolean headless,
        String password,
        HostConfig.Tls tls,
        HostConfig.ChatRate chatRate,
        EngineLimits limits,
        Path history,
        boolean webClient,
        boolean advertise,
        HostConfig.FileLimits files,
        PostgresTarget store,
        ClusterTarget cluster,
        AdminAccount admin,
        java.time.Duration recoveryWindow) {

    enum Mode {
        START_SCREEN,
        HOST,
        JOIN,
        WORKBENCH,
        SELF_CHECK,
        CHECK_CLUSTER,
        HELP,
        VERSION
    }

    static final String USAGE = """
            Usage: parley [--host [--port N] [--bind ADDRESS] [--origins LIST] [--headless]
                                  [--tls | --tls-keystore FILE --tls-password-env NAME]
                                  [--chat-rate BURST/PER_SECOND] [--packet-rate BURST/PER_SECOND]
                                  [--history FILE | --store postgresql://HOST[:PORT]/DB?user=NAME]
                                  [--cluster redis://HOST[:PORT]] [--trusted-proxy LIST]
                                  [--no-web] [--no-advertise]
                                  [--max-file-size SIZE] [--file-quota SIZE]
                                  [--admin-user NAME --admin-password-env NAME]
                                  [--recovery-window DURATION]]
                          [--join URL] [--workbench] [--self-check] [--check-cluster] [--help] [--version]

              --host           host a session (default port 3000)
              --port N         port to host on (0 picks a free one)
              --bind ADDRESS   interface to listen on (default 0.0.0.0, every interface)
              --origins LIST   browser origins allowed to connect, comma-separated
                               (default http://localhost:8080; * allows any)
              --headless       no window; print the address and serve until stopped
                               (installed, parley-host [options] is parley --host
                               --headless with a server's JVM settings)
              --password-env NAME
                               host: require the password in environment variable NAME;
                               join: send it (kept out of the command line and the URL)
              --tls            host over TLS (https/wss) with Parley's own certificate, made on
                               first use and kept in the data directory; joiners pin its
                               fingerprint on first use and refuse it if it ever changes
              --tls-keystore FILE
                               host over TLS with your own PKCS#12 certificate and key
              --tls-password-env NAME
                               the key store's password, from environment variable NAME
              --chat-rate B/S  chat events one connection may send: bursts of B, then S a
                               second (default 60/20); more is refused with a reason
              --packet-rate B/S
                               Engine.IO packets one connection may send before it is closed
                               as a flood (default 1000/500)
              --history FILE   where the host keeps its history (SQLite; default: history-PORT.db
                               in Parley's data directory)
              --store postgresql://HOST[:PORT]/DB?user=NAME[&sslmode=require]
                               keep the history in PostgreSQL instead, where several hosts may
                               share it; the password comes from PGPASSWORD or ~/.pgpass, never
                               the command line (docs/DEPLOY.md, "PostgreSQL")
              --cluster redis://HOST[:PORT]
                               host with --store: be one server of a cluster on this
                               Redis (rediss:// for TLS, redis://USER@HOST for an ACL user; the
                               password comes from REDISCLI_AUTH); Node socket.io servers with
                               @socket.io/redis-streams-adapter may join it (docs/DEPLOY.md)
              --trusted-proxy LIST
                               IP addresses of the reverse proxies in front of the host
                               (nginx, HAProxy), comma-separated: connections from them are
                               not held to the per-address limit, and each client's address
                               is the one they forward in X-Forwarded-For (docs/DEPLOY.md)
              --no-web         do not serve the browser client at / (by default anyone can open
                               the host's address in a browser and chat without Parley)
              --no-advertise   do not announce the session on the local network (by default
                               others' Parley lists it: a headless host under this machine's
                               name, a window as its start screen says; a host bound to
                               127.0.0.1 is never announced)
              --max-file-size SIZE
                               the largest file people may share, e.g. 250MB (default 100MB)
              --file-quota SIZE
                               the most disk all shared files may take, e.g. 5GB; the oldest
                               are deleted to make room (default: no quota)
              --admin-user NAME, --admin-password-env NAME
                               headless host: serve the official Socket.IO Admin UI's protocol
                               on /admin to this user, with the password in environment
                               variable NAME (both needed; off by default)
              --recovery-window DURATION
                               how long a Socket.IO client whose connection dropped may come
                               back as the same socket and get what it missed, e.g. 90s, 5m
                               (default 2m; 0 turns it off)
              --join URL       join the session at URL, e.g. http://192.168.1.20:3000
                               (https://… for a TLS host)
              --workbench      open the Socket.IO workbench: connect to any Socket.IO v4
                               server (auth, headers, query, transports), log every event
                               in and out, emit with acks, answer the server's acks
              --self-check     host on a free loopback port, join it, exchange a message, exit
              --check-cluster  say whether the --store database and the --cluster Redis are
                               reachable and the schema current; exit 0 if a host could start
                               on them, else 1
            """;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

    /** "250MB", "5GB", "1000": bytes, in the units file managers use (1 MB = 1,000,000 bytes). */
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(\\d{1,6})\\s*(s|m|h)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Seconds, or a number with s, m or h: {@code 90}, {@code 90s}, {@code 5m}, {@code 1h}. */
    static java.time.Duration parseDuration(String option, String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    option + " takes a duration such as 90s, 5m or 0, not " + text + "\n\n" + USAGE);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        return switch (unit) {
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofSeconds(n);
        };
    }

    static long parseSize(String option, String text, long least) {
        Matcher m = SIZE.matcher(text.strip());
        if (m.matches()) {
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            long scale = switch (unit) {
                case "KB" -> 1_000L;
                case "MB" -> 1_000_000L;
                case "GB" -> 1_000_000_000L;
                case "TB" -> 1_000_000_000_000L;
                default -> 1L;
            };
            long value = Long.parseLong(m.group(1));
            if (value >= least && value <= Long.MAX_VALUE / scale) {
                return value * scale;
            }
        }
        throw new IllegalArgumentException(option + " needs a size such as 250MB or 5GB"
                + (least > 0 ? "" : " (0 for none)") + ", not \"" + text + "\"");
    }

    /** @throws IllegalArgumentException with a message for the person who typed the command */
    static LaunchOptions parse(String... args) {
        Mode mode = Mode.START_SCREEN;
        int port = HostConfig.DEFAULT_PORT;
        String bind = "0.0.0.0";
        Set<String> origins = new LinkedHashSet<>(Set.of(HostConfig.DEFAULT_ORIGIN));
        String joinUrl = null;
        boolean headless = false;
        String password = "";
        HostConfig.Tls tls = null;
        HostConfig.ChatRate chatRate = HostConfig.ChatRate.DEFAULT;
        java.time.Duration recoveryWindow = HostConfig.DEFAULT_RECOVERY_WINDOW;
        EngineLimits limits = EngineLimits.DEFAULT;
        Path keyStore = null;
        Path history = null;
        String keyStorePassword = null;
        boolean webClient = true;
        boolean advertise = true;
        HostConfig.FileLimits files = HostConfig.FileLimits.DEFAULT;
        PostgresTarget store = null;
        ClusterTarget cluster = null;
        Set<java.net.InetAddress> trustedProxies = new java.util.LinkedHashSet<>();
        String adminUser = null;
        String adminPassword = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--host" -> mode = Mode.HOST;
                case "--headless" -> headless = true;
                case "--no-web" -> webClient = false;
                case "--no-advertise" -> advertise = false;
                case "--self-check" -> mode = Mode.SELF_CHECK;
                case "--workbench" -> mode = Mode.WORKBENCH;
                case "--check-cluster" -> mode = Mode.CHECK_CLUSTER;
                case "--store" -> store = PostgresTarget.parse(value(arg, rest));
                case "--cluster" -> cluster = ClusterTarget.parse(value(arg, rest), System.getenv());
                case "--trusted-proxy" -> {
                    for (String proxy : value(arg, rest).split(",")) {
                        if (!proxy.isBlank()) {
                            trustedProxies.add(ClientAddress.parse(proxy));
                        }
                    }
                }
                case "--help", "-h" -> mode = Mode.HELP;
                case "--version" -> mode = Mode.VERSION;
                case "--port" -> port = parsePort(value(arg, rest));
                case "--bind" -> bind = value(arg, rest);
                case "--history" -> history = Path.of(value(arg, rest));
                case "--tls" -> tls = HostConfig.Tls.generated(DataDir.hostIdentity());
                case "--max-file-size" -> files = files.withMaxFileBytes(parseSize(arg, value(arg, rest), 1));
                case "--file-quota" -> files = files.withQuotaBytes(parseSize(arg, value(arg, rest), 0));
                case "--recovery-window" -> recoveryWindow = parseDuration(arg, value(arg, rest));
                case "--chat-rate" -> {
                    int[] rate = parseRate(arg, value(arg, rest));
                    chatRate = new HostConfig.ChatRate(rate[0], rate[1]);
                }
                case "--packet-rate" -> {
                    int[] rate = parseRate(arg, value(arg, rest));
                    limits = new EngineLimits(
                            limits.maxConnections(), limits.maxConnectionsPerAddress(), rate[0], rate[1]);
                }
                case "--tls-keystore" -> keyStore = Path.of(value(arg, rest));
                case "--tls-password-env" -> {
                    String name = value(arg, rest);
                    keyStorePassword = System.getenv(name);
                    if (keyStorePassword == null) {
                        throw new IllegalArgumentException("Environment variable " + name + " is not set");
                    }
                }
                case "--password-env" -> {
                    String name = value(arg, rest);
                    password = System.getenv(name);
                    if (password == null || password.isEmpty()) {
                        throw new IllegalArgumentException("Environment variable " + name + " is not set");
                    }
                }
                case "--admin-user" -> adminUser = value(arg, rest);
                case "--admin-password-env" -> {
                    String name = value(arg, rest);
                    adminPassword = System.getenv(name);
                    if (adminPassword == null || adminPassword.isEmpty()) {
                        throw new IllegalArgumentException("Environment variable " + name + " is not set");
                    }
                }
                case "--origins" -> {
                    origins.clear();
                    for (String origin : value(arg, rest).split(",")) {
                        if (!origin.isBlank()) {
                            origins.add(origin.strip());
                        }
                    }
                }
                case "--join" -> {
                    mode = Mode.JOIN;
                    joinUrl = value(arg, rest);
                }
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n\n" + USAGE);
            }
        }
        // --help and --version answer whatever else is given: parley-host passes --headless always.
        if (headless && mode != Mode.HOST && mode != Mode.HELP && mode != Mode.VERSION && mode != Mode.CHECK_CLUSTER) {
            throw new IllegalArgumentException("--headless works with --host only\n\n" + USAGE);
        }
        if (store != null && history != null) {
            throw new IllegalArgumentException(
                    "--store and --history name two places for the history; give one\n\n" + USAGE);
        }
        if (store != null
                && mode != Mode.HOST
                && mode != Mode.CHECK_CLUSTER
                && mode != Mode.HELP
                && mode != Mode.VERSION) {
            throw new IllegalArgumentException("--store works with --host and --check-cluster\n\n" + USAGE);
        }
        limits = limits.withTrustedProxies(trustedProxies);
        if (cluster != null && mode != Mode.HELP && mode != Mode.VERSION) {
            if (mode != Mode.HOST && mode != Mode.CHECK_CLUSTER) {
                throw new IllegalArgumentException("--cluster works with --host and --check-cluster\n\n" + USAGE);
            }
            if (store == null && mode == Mode.HOST) {
                throw new IllegalArgumentException("--cluster needs --store postgresql://…: the hosts of a cluster"
                        + " share one history, where each would otherwise keep its own\n\n" + USAGE);
            }
        }
        if (keyStore != null) {
            if (keyStorePassword == null) {
                throw new IllegalArgumentException("--tls-keystore needs --tls-password-env NAME\n\n" + USAGE);
            }
            tls = new HostConfig.Tls(keyStore, keyStorePassword);
        } else if (keyStorePassword != null) {
            throw new IllegalArgumentException("--tls-password-env goes with --tls-keystore FILE\n\n" + USAGE);
        }
        if ((adminUser == null) != (adminPassword == null)) {
            throw new IllegalArgumentException("--admin-user and --admin-password-env go together\n\n" + USAGE);
        }
        if (adminUser != null && !(mode == Mode.HOST && headless)) {
            throw new IllegalArgumentException("--admin-user works with --host --headless\n\n" + USAGE);
        }
        return new LaunchOptions(
                mode,
                port,
                bind,
                Set.copyOf(origins),
                joinUrl,
                headless,
                password,
                tls,
                chatRate,
                limits,
                history,
                webClient,
                advertise,
                files,
                store,
                cluster,
                adminUser == null ? null : new AdminAccount(adminUser, adminPassword),
                recoveryWindow);
    }

    /**
     * What a host started from the window takes from the command line: all of {@link #hostConfig},
     * but a history file only when {@code --history} named one (the start screen picks the port
     * whose history it is).
     */
    HostConfig windowHostOptions() {
        return hostConfig().withHistory(history);
    }

    HostConfig hostConfig() {
        // Port 0 is a different port every run: its history would never be found again.
        Path file = history != null ? history : port == 0 ? null : DataDir.history(port);
        HostConfig config = new HostConfig(bind, port, origins, password)
                .withChatRate(chatRate)
                .withLimits(limits)
                .withHistory(file)
                .withWebClient(webClient)
                .withFiles(files)
                .withStore(store)
                .withCluster(cluster)
                .withRecoveryWindow(recoveryWindow);
        return tls == null ? config : config.withTls(tls);
    }

    /**
     * A headless host's config: announced on the local network under this machine's name unless
     * {@code --no-advertise} was given (the window asks on its start screen instead).
     */
    HostConfig headlessHostConfig() {
        HostConfig config = hostConfig();
        return advertise ? config.withAdvertising(new Advertising(true, machineName())) : config;
    }

    /**
     * This machine's name without its domain, as people know it; "Parley host" when it has none.
     * Read from the system's own record of it, never by {@code InetAddress.getLocalHost()}, which
     * resolves the name too and can hang for seconds on a machine whose DNS does not know itself.
     */
    static String machineName() {
        String name = System.getenv("COMPUTERNAME");
        for (String file : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            if (name == null || name.isBlank()) {
                name = firstLine(Path.of(file));
            }
        }
        if (name == null || name.isBlank()) {
            name = hostnameCommand();
        }
        if (name == null || name.isBlank() || Character.isDigit(name.charAt(0))) {
            return "Parley host";
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.findFirst().map(String::strip).orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** macOS and the BSDs keep the name where only {@code hostname} reads it; it answers at once. */
    private static String hostnameCommand() {
        try {
            Process process =
                    new ProcessBuilder("hostname").redirectErrorStream(true).start();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            try (var out = process.getInputStream()) {
                String text = new String(out.readNBytes(256), StandardCharsets.UTF_8);
                return text.lines().findFirst().map(String::strip).orElse(null);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
        }
        return rest.remove(0);
    }

    /** {@code "60/20"} → {60, 20}. */
    private static int[] parseRate(String option, String text) {
        String[] parts = text.split("/");
        try {
            if (parts.length == 2) {
                int burst = Integer.parseInt(parts[0].strip());
                int perSecond = Integer.parseInt(parts[1].strip());
                if (burst > 0 && perSecond > 0) {
                    return new int[] {burst, perSecond};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(
                option + " needs BURST/PER_SECOND, two positive numbers, not \"" + text + "\"");
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--port needs a number from 0 to 65535, not \"" + text + "\"");
    }
}
