package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.admin.AdminAccount;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.testing.RedisServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real Socket.IO Admin UI (the npm package's built UI) in Debian's headless Chromium against
 * a Parley host: logged in through its own form from an origin the host allows, its Sockets and
 * Rooms pages list a chat client's socket and room ({@code interop/admin-ui-browser.mjs}); against
 * one host of a cluster of two, the other host's client and room too, and both hosts on its
 * Servers page.
 */
class AdminUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theOfficialAdminUiListsAChatClientsSocketAndRoom() throws Exception {
        run(false);
    }

    @Test
    void overAClusterItListsEveryHostsSocketsAndTheHostsThemselves() throws Exception {
        run(true);
    }

    private static void run(boolean cluster) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        Path screenshots = Path.of(System.getProperty("basedir", "."), "target", "interop");
        Files.createDirectories(screenshots);
        int uiPort;
        try (ServerSocket free = new ServerSocket(0)) {
            uiPort = free.getLocalPort();
        }
        // The UI sends credentials (withCredentials): its origin must be on the host's list by name.
        HostConfig config = HostConfig.loopback(Set.of("http://localhost:" + uiPort));
        RedisServer redis = cluster ? RedisServer.start() : null;
        List<HostServer> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < (cluster ? 2 : 1); i++) {
                HostServer host = new HostServer(redis == null ? config : config.withCluster(redis.target()));
                host.enableAdmin(new AdminAccount(AdminProtocolInteropTest.USER, AdminProtocolInteropTest.PASSWORD));
                hosts.add(host);
                host.start();
            }
            List<String> args = new ArrayList<>(List.of(
                    "http://127.0.0.1:" + hosts.get(0).port(),
                    String.valueOf(uiPort),
                    AdminProtocolInteropTest.USER,
                    AdminProtocolInteropTest.PASSWORD,
                    screenshots.toString()));
            if (cluster) {
                args.add("http://127.0.0.1:" + hosts.get(1).port());
            }
            try (NodeProcess script = NodeProcess.start("admin-ui-browser.mjs", args.toArray(String[]::new))) {
                int exit = script.awaitExit(Duration.ofSeconds(150));
                assertThat(exit)
                        .as("admin-ui-browser.mjs exited %d:\n%s", exit, script.transcript())
                        .isZero();
                List<String> expected = new ArrayList<>(
                        List.of("ui-logged-in", "ui-sockets-page-lists-chat-socket", "ui-rooms-page-lists-chat-room"));
                if (cluster) {
                    expected.add("ui-servers-page-lists-both-hosts");
                }
                assertThat(script.jsonLines())
                        .extracting(j -> j.getString("check"))
                        .containsAll(expected);
            }
        } finally {
            hosts.forEach(HostServer::close);
            if (redis != null) {
                redis.close();
            }
        }
    }
}
