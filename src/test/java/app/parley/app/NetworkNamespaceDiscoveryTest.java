package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.NetNamespaces;
import app.parley.testing.ProcessLines;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines on one network, as two network namespaces joined by a veth cable: {@code parley-host}
 * (HostLauncher) in one announces itself, and the app's own browsing in the other finds it within
 * 5 s with the right TXT keys, joins it (TLS, password, the advertised fingerprint checked), and
 * sees it go within 5 s of SIGTERM. Skipped without root or iproute2, unless PARLEY_REQUIRE_NETNS=1.
 */
class NetworkNamespaceDiscoveryTest {
    private static final Pattern LISTENING =
            Pattern.compile("Parley host listening on https://198\\.18\\.0\\.1:(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("for joiners to compare: ([0-9A-F:]{95})");
    private static final long FIVE_SECONDS = 5_000;

    @Test
    @Timeout(90)
    void aHostInOneNamespaceIsFoundJoinedAndLostFromTheOther(@TempDir Path dir) throws Exception {
        List<Process> processes = new ArrayList<>();
        try (NetNamespaces net = NetNamespaces.pair()) {
            ProcessBuilder probeCommand = net.command(1, java("app.parley.app.NearbyProbe"));
            probeCommand
                    .environment()
                    .put("PARLEY_DATA_DIR", dir.resolve("joiner").toString());
            Process probe = probeCommand.redirectErrorStream(true).start();
            processes.add(probe);
            ProcessLines probeLines = new ProcessLines("probe", probe);
            probeLines.await(line -> line.equals("ready"), 30_000, "ready");

            List<String> host = new ArrayList<>(java("app.parley.app.HostLauncher"));
            host.addAll(List.of(
                    "--port",
                    "0",
                    "--tls",
                    "--password-env",
                    "PARLEY_TEST_PASSWORD",
                    "--history",
                    dir.resolve("history.db").toString()));
            ProcessBuilder hostCommand = net.command(0, host);
            hostCommand.environment().put("PARLEY_DATA_DIR", dir.resolve("host").toString());
            hostCommand.environment().put("PARLEY_TEST_PASSWORD", "open sesame");
            Process hostProcess = hostCommand.redirectErrorStream(true).start();
            processes.add(hostProcess);
            ProcessLines hostLines = new ProcessLines("host", hostProcess);

            ProcessLines.Line listening =
                    hostLines.await(l -> LISTENING.matcher(l).find(), 60_000, "listening line");
            Matcher port = LISTENING.matcher(listening.text());
            assertThat(port.find()).isTrue();
            Matcher print = FINGERPRINT.matcher(hostLines
                    .await(l -> FINGERPRINT.matcher(l).find(), 5_000, "fingerprint")
                    .text());
            assertThat(print.find()).isTrue();
            hostLines.await(l -> l.startsWith("Announced on the local network as"), 5_000, "announcement line");

            ProcessLines.Line found =
                    probeLines.await(l -> l.startsWith("found\t"), FIVE_SECONDS + 1_000, "advertisement found");
            long foundMillis = TimeUnit.NANOSECONDS.toMillis(found.nanos() - listening.nanos());
            String[] fields = found.text().split("\t", -1);
            System.out.printf("found %d ms after the host listened: %s%n", foundMillis, found.text());
            assertThat(foundMillis).as("found within 5 s of the host listening").isLessThan(FIVE_SECONDS);
            String key = fields[1];
            assertThat(fields[2]).as("name").isEqualTo(LaunchOptions.machineName());
            assertThat(fields[3]).as("address").isEqualTo("198.18.0.1");
            assertThat(fields[4]).as("port").isEqualTo(port.group(1));
            assertThat(fields[5]).as("tls").isEqualTo("1");
            assertThat(fields[6]).as("fp").isEqualTo(print.group(1));
            assertThat(fields[7]).as("pw").isEqualTo("1");
            assertThat(fields[8]).as("web: it serves the browser client").isEqualTo("1");
            assertThat(fields[9]).as("v").isNotEmpty();

            Writer toProbe = new OutputStreamWriter(probe.getOutputStream(), StandardCharsets.UTF_8);
            toProbe.write("join " + key + " open sesame\n");
            toProbe.flush();
            probeLines.await(l -> l.equals("connected\t" + key), 20_000, "connected over TLS");

            long stopped = System.nanoTime();
            hostProcess.destroy(); // SIGTERM: the shutdown hook says goodbye
            ProcessLines.Line lost = probeLines.await(l -> l.equals("lost\t" + key), FIVE_SECONDS + 1_000, "lost");
            long lostMillis = TimeUnit.NANOSECONDS.toMillis(lost.nanos() - stopped);
            assertThat(hostProcess.waitFor(10, TimeUnit.SECONDS))
                    .as("host exits")
                    .isTrue();
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            System.out.printf("lost %d ms after SIGTERM; the host exited within %d ms%n", lostMillis, exitMillis);
            assertThat(lostMillis).as("gone within 5 s of SIGTERM").isLessThan(FIVE_SECONDS);
            assertThat(probeLines.texts()).as("the fingerprint check passed").noneMatch(l -> l.contains("NOT the one"));
            toProbe.close();
            assertThat(probe.waitFor(10, TimeUnit.SECONDS))
                    .as("the browsing process exits")
                    .isTrue();
        } finally {
            for (Process process : processes) {
                process.destroyForcibly();
            }
        }
    }

    private static List<String> java(String mainClass) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                mainClass);
    }
}
