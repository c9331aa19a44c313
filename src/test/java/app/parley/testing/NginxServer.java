package app.parley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real nginx in front of Parley hosts, configured by the very file the deployment guide ships
 * ({@code docs/deploy/nginx.conf}): only its upstream servers and listen address are replaced, and
 * its {@code X-Parley-Upstream} line switched on, so a test can see which host served it. Runs in
 * the foreground as a child of the test (no daemon, no master), its files in a temporary folder.
 * Skipped without nginx, unless {@code CI} is set, where it fails: CI installs Debian's nginx.
 */
public final class NginxServer extends ListeningProcess {
    public static final Path SHIPPED = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("docs/deploy/nginx.conf");

    private NginxServer() throws IOException {
        super("nginx");
    }

    /** nginx on a free loopback port, balancing over {@code upstreamPorts} on 127.0.0.1. */
    public static NginxServer start(List<Integer> upstreamPorts) throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        requireInstalled(nginx, "nginx");
        NginxServer server = new NginxServer();
        Path dir = server.dir;
        int port = server.port();
        String shipped = Files.readString(SHIPPED, StandardCharsets.UTF_8);
        String servers = upstreamPorts.stream()
                .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining("\n"));
        String site = shipped.replaceAll("(?m)^    server 10\\.0\\.0\\.\\d+:3000.*\\n", "")
                .replace("hash $remote_addr consistent;", "hash $remote_addr consistent;\n" + servers)
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("#add_header X-Parley-Upstream", "add_header X-Parley-Upstream");
        if (site.equals(shipped) || !site.contains("server 127.0.0.1:")) {
            throw new AssertionError("docs/deploy/nginx.conf no longer has the lines this test replaces");
        }
        Files.writeString(dir.resolve("parley.conf"), site, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("nginx.conf"),
                String.join(
                        "\n",
                        "daemon off;",
                        "master_process off;",
                        "worker_processes 1;",
                        "pid " + dir.resolve("nginx.pid") + ";",
                        "error_log " + dir.resolve("error.log") + " warn;",
                        "events { worker_connections 1024; }",
                        "http {",
                        "  access_log off;",
                        "  client_body_temp_path " + dir.resolve("body") + ";",
                        "  proxy_temp_path " + dir.resolve("proxy") + ";",
                        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                        "  scgi_temp_path " + dir.resolve("scgi") + ";",
                        "  include " + dir.resolve("parley.conf") + ";",
                        "}",
                        ""),
                StandardCharsets.UTF_8);
        server.launch(
                nginx.toString(),
                "-p",
                dir.toString(),
                "-c",
                dir.resolve("nginx.conf").toString());
        return server;
    }

    /** What nginx said (errors and warnings), for a failure message. */
    @Override
    public String log() {
        try {
            return super.log() + Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return super.log();
        }
    }
}
