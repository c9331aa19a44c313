package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Files in Parley's web client ({@code interop/web-files.mjs}, docs/PROTOCOL.md §15) in headless
 * Chromium: two browser guests (one on a LAN address, without crypto.subtle) and a Node client in
 * one room; the file input, a drop and a paste; a byte-exact download by link; a picture drawn
 * from the host; a resume after a cut; Cancel; a direct file; an evicted file in the history; chat
 * beside an upload through a slow link.
 */
class WebClientFilesTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Small enough that the script's last upload evicts its first (it counts on 14 MB). */
    private static final long QUOTA = 14_000_000L;

    @Test
    void browserGuestsSendAndDownloadFiles() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        HostServer host = new HostServer(
                HostConfig.loopback(Set.of()).withFiles(HostConfig.FileLimits.DEFAULT.withQuotaBytes(QUOTA)));
        int port = host.start();
        try (NodeProcess script = NodeProcess.start("web-files.mjs", "http://127.0.0.1:" + port)) {
            int exit = script.awaitExit(Duration.ofSeconds(180));
            for (var line : script.jsonLines()) {
                System.out.println("web-files " + line);
            }
            assertThat(exit)
                    .as("web-files.mjs exited %d:\n%s", exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines())
                    .filteredOn(j -> j.getBoolean("ok"))
                    .extracting(j -> j.getString("check"))
                    .contains(
                            "sha256-fallback",
                            "upload-and-download",
                            "picture",
                            "resume",
                            "direct",
                            "drop-and-paste",
                            "from-a-secure-context",
                            "hostile-name",
                            "cancel",
                            "history-and-expired",
                            "chat-beside-a-slow-upload",
                            "console-a",
                            "console-b");
        } finally {
            host.close();
        }
    }
}
