package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files with the real Node client and Buffers (docs/PROTOCOL.md §15), on every transport: upload,
 * resume, read back, privacy of rooms and direct files, and each refusal with its reason.
 */
class FilesInteropTest {
    private HostServer host;
    private int port;

    @BeforeEach
    void startHost() {
        host = new HostServer(HostConfig.loopback(Set.of()));
        port = host.start();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @Test
    void aQuotaDeletesTheOldestFilesAndTheirLinesSayTheyExpired() throws Exception {
        host.close();
        host = new HostServer(
                HostConfig.loopback(Set.of()).withFiles(HostConfig.FileLimits.DEFAULT.withQuotaBytes(3_000_000)));
        port = host.start();
        try (NodeProcess script = NodeProcess.start("files.mjs", "http://127.0.0.1:" + port, "websocket", "quota")) {
            int exit = script.awaitExit(Duration.ofSeconds(60));
            assertThat(exit)
                    .as("files.mjs quota exited %d:\n%s", exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines()).extracting(j -> j.getString("check")).contains("quota-expires-the-oldest");
        }
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void nodeClientsShareFilesWithTheDocumentedEvents(String mode) throws Exception {
        try (NodeProcess script = NodeProcess.start("files.mjs", "http://127.0.0.1:" + port, mode)) {
            int exit = script.awaitExit(Duration.ofSeconds(120));
            assertThat(exit)
                    .as("files.mjs %s exited %d:\n%s", mode, exit, script.transcript())
                    .isZero();
            assertThat(script.jsonLines())
                    .extracting(j -> j.getString("check"))
                    .contains(
                            "upload-acked-as-a-message",
                            "member-reads-it-byte-exact",
                            "non-member-is-refused",
                            "a-member-who-left-is-refused",
                            "a-later-reader-gets-it-from-the-host",
                            "four-uploads-per-connection",
                            "member-downloads-with-a-link",
                            "link-honours-a-range",
                            "no-link-for-outsiders-and-no-forgery",
                            "resume-goes-on-where-it-stopped",
                            "complete-again-acks-and-delivers-once",
                            "direct-file-for-its-two-people-only",
                            "decompression-bomb-refused",
                            "oversize-refused",
                            "checksum-mismatch-refused",
                            "hash-named-in-complete",
                            "hash-named-in-complete-checked",
                            "hash-named-nowhere-refused-then-named",
                            "bystanders-keep-chatting",
                            "cancelled-upload-takes-no-more");
        }
    }
}
