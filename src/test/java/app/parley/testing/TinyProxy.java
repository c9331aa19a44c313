package app.parley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A real HTTP proxy (Debian's tinyproxy) on a loopback port, as a corporate network puts between
 * a client and the world: it forwards requests and opens {@code CONNECT} tunnels to any port, and
 * logs each. Runs in the foreground ({@code -d}) as a child of the test, its files in a temporary
 * folder. Skipped without tinyproxy, unless {@code CI} is set, where it fails: CI installs it.
 */
public final class TinyProxy extends ListeningProcess {
    private TinyProxy() throws IOException {
        super("tinyproxy");
    }

    public static TinyProxy start() throws Exception {
        Path tinyproxy = Path.of("/usr/bin/tinyproxy");
        requireInstalled(tinyproxy, "tinyproxy");
        TinyProxy proxy = new TinyProxy();
        // It drops to nobody before it opens its log.
        Files.setPosixFilePermissions(proxy.dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path config = proxy.dir.resolve("tinyproxy.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "User nobody",
                        "Group nogroup",
                        "Port " + proxy.port(),
                        "Listen 127.0.0.1",
                        "Timeout 600",
                        "LogFile \"" + proxy.requests() + "\"",
                        "LogLevel Connect",
                        "MaxClients 50",
                        "Allow 127.0.0.1",
                        "DisableViaHeader Yes",
                        ""),
                StandardCharsets.UTF_8);
        proxy.launch(tinyproxy.toString(), "-d", "-c", config.toString());
        return proxy;
    }

    private Path requests() {
        return dir.resolve("requests.log");
    }

    /** The requests it was asked to carry so far, one a line ({@code CONNECT 127.0.0.1:PORT HTTP/1.1}, …). */
    public String requestLog() throws IOException {
        Path log = requests();
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
