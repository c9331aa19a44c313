package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.admin.AdminAccount;
import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real Socket.IO Admin UI (the npm package's built UI) in Debian's headless Chromium against
 * a Parley host: logged in through its own form from an origin the host allows, its Sockets and
 * Rooms pages list a chat client's socket and room ({@code interop/admin-ui-browser.mjs}).
 */
class AdminUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theOfficialAdminUiListsAChatClientsSocketAndRoom() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        Path screenshots = Path.of(System.getProperty("basedir", "."), "target", "interop");
        Files.createDirectories(screenshots);
        int uiPort;
        try (ServerSocket free = new ServerSocket(0)) {
            uiPort = free.getLocalPort();
        }
        // The UI sends credentials (withCredentials): its origin must be on the host's list by name.
        HostServer host = new HostServer(HostConfig.loopback(Set.of("http://localhost:" + uiPort)));
        host.enableAdmin(new AdminAccount(AdminProtocolInteropTest.USER, AdminProtocolInteropTest.PASSWORD));
        int port = host.start();
        try (NodeProcess script = NodeProcess.start(
                "admin-ui-browser.mjs",
                "http://127.0.0.1:" + port,
                String.valueOf(uiPort),
                AdminProtocolInteropTest.USER,
                AdminProtocolInteropTest.PASSWORD,
                screenshots.toString())) {
            int exit = script.awaitExit(Duration.ofSeconds(150));
            assertThat(exit)
                    .as("admin-ui-browser.mjs exited %d:\n%s", exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines())
                    .extracting(j -> j.getString("check"))
                    .contains("ui-logged-in", "ui-sockets-page-lists-chat-socket", "ui-rooms-page-lists-chat-room");
        } finally {
            host.close();
        }
    }
}
