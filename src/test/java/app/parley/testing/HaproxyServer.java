package app.parley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real HAProxy in front of Parley hosts, configured by the very lines the deployment guide ships
 * ({@code docs/deploy/haproxy.cfg}): only its bind address and servers are replaced, under a
 * minimal {@code global} section. Runs in the foreground ({@code -db}) as a child of the test,
 * its files in a temporary folder. Skipped without HAProxy, unless {@code CI} is set, where it
 * fails: CI installs Debian's haproxy.
 */
public final class HaproxyServer extends ListeningProcess {
    public static final Path SHIPPED = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("docs/deploy/haproxy.cfg");

    private HaproxyServer() throws IOException {
        super("haproxy");
    }

    /** HAProxy on a free loopback port, balancing over {@code upstreamPorts} on 127.0.0.1. */
    public static HaproxyServer start(List<Integer> upstreamPorts) throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        requireInstalled(haproxy, "haproxy");
        HaproxyServer server = new HaproxyServer();
        int port = server.port();
        String shipped = Files.readString(SHIPPED, StandardCharsets.UTF_8);
        String servers = IntStream.range(0, upstreamPorts.size())
                .mapToObj(i -> "    server host" + (i + 1) + " 127.0.0.1:" + upstreamPorts.get(i)
                        + " check inter 5s fall 1 rise 2")
                .collect(Collectors.joining("\n"));
        String site = shipped.replaceAll("(?m)^    server host\\d+ 10\\.0\\.0\\.\\d+:3000.*\\n", "")
                .replace("hash-type consistent", "hash-type consistent\n" + servers)
                .replace("bind :80", "bind 127.0.0.1:" + port);
        if (site.equals(shipped) || !site.contains("server host1 127.0.0.1:")) {
            throw new AssertionError("docs/deploy/haproxy.cfg no longer has the lines this test replaces");
        }
        Path config = server.dir.resolve("haproxy.cfg");
        Files.writeString(config, "global\n    maxconn 1024\n\n" + site, StandardCharsets.UTF_8);
        server.launch(haproxy.toString(), "-db", "-f", config.toString());
        return server;
    }
}
