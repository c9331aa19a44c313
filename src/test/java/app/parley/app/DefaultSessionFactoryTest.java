package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.host.HostSession;
import app.parley.session.Advertising;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.store.PostgresTarget;
import app.parley.testing.PostgresServer;
import app.parley.testing.RawClient;
import app.parley.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * What the window's factory hosts with: the command line's --no-web and --no-advertise hold there
 * too, and its limits and cluster options.
 */
class DefaultSessionFactoryTest {
    private static final Identity ME = new Identity("Ann", UUID.randomUUID().toString());
    private static final Advertising CHECKED = new Advertising(true, "Ann's session");

    @Test
    void byDefaultAWindowHostServesTheBrowserClientAndAnnouncesAsItsCheckboxSays() throws Exception {
        HostSession host =
                (HostSession) new DefaultSessionFactory("127.0.0.1", null).host(0, Set.of(), "", false, ME, CHECKED);
        try {
            assertThat(pageStatus(host)).isEqualTo(200);
            assertThat(host.server().config().advertising()).isEqualTo(CHECKED);
        } finally {
            host.close();
        }
    }

    @Test
    void noWebAndNoAdvertiseOnTheCommandLineWinOverTheStartScreen() throws Exception {
        HostSession host = (HostSession)
                new DefaultSessionFactory("127.0.0.1", null, false, false).host(0, Set.of(), "", false, ME, CHECKED);
        try {
            assertThat(pageStatus(host)).as("GET / with --no-web").isEqualTo(404);
            assertThat(host.server().config().advertising().enabled()).isFalse();
        } finally {
            host.close();
        }
    }

    @Test
    void theCommandLinesLimitsHoldForAWindowHost() throws Exception {
        HostConfig commandLine = HostConfig.loopback(Set.of())
                .withChatRate(new HostConfig.ChatRate(3, 1))
                .withFiles(HostConfig.FileLimits.DEFAULT.withMaxFileBytes(1_000))
                .withRecoveryWindow(Duration.ofSeconds(7));
        HostSession window = (HostSession) new DefaultSessionFactory("127.0.0.1", null, false, false)
                .withHostOptions(commandLine)
                .host(0, Set.of(), "", false, ME, CHECKED);
        try (RawClient guest = RawClient.connect(window.server().port())) {
            guest.awaitId();
            HostConfig config = window.server().config();
            assertThat(config.chatRate()).isEqualTo(new HostConfig.ChatRate(3, 1));
            assertThat(config.files().maxFileBytes()).isEqualTo(1_000);
            assertThat(config.recoveryWindow()).isEqualTo(Duration.ofSeconds(7));
            // and the host enforces it: a burst of 3 chat events, the fourth refused
            String last = "";
            for (int i = 0; i < 4; i++) {
                last = guest.request("list-peers")[0].toString();
            }
            assertThat(last).contains("too many");
        } finally {
            window.close();
        }
    }

    @Test
    void aWindowHostGivenTheClustersOptionsIsOneOfItsServers() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
                RedisServer redis = RedisServer.start()) {
            PostgresTarget store = postgres.freshDatabase();
            HostServer headless = new HostServer(
                    HostConfig.loopback(Set.of()).withStore(store).withCluster(redis.target()));
            headless.start();
            HostSession window = (HostSession) new DefaultSessionFactory("127.0.0.1", null, false, false)
                    .withHostOptions(
                            HostConfig.loopback(Set.of()).withStore(store).withCluster(redis.target()))
                    .host(0, Set.of(), "", false, ME, CHECKED);
            window.open(); // the window's own person joins, as the start screen has it do
            try (RawClient onWindowHost = RawClient.connect(window.server().port());
                    RawClient onHeadless = RawClient.connect(headless.port())) {
                assertThat(window.server().config().cluster()).isEqualTo(redis.target());
                onWindowHost.awaitId();
                onHeadless.awaitId();
                onWindowHost.request("join-room", "ops");
                // The window's own person, Ann, is listed on the other host: the two are one session.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String names = "";
                while (!names.contains("\"Ann\"") && System.nanoTime() < deadline) {
                    names = new JSONObject(onHeadless.request("list-peers")[0].toString())
                            .getJSONObject("names")
                            .toString();
                    Thread.sleep(50);
                }
                assertThat(names).contains("\"Ann\"");
                onHeadless.request("send-message", "to the window host's room", "ops");
                Object[] got = onWindowHost.nextMessage();
                assertThat(got).isNotNull();
                assertThat(got[0]).isEqualTo("to the window host's room");
            } finally {
                window.close();
                headless.close();
            }
        }
    }

    private static int pageStatus(HostedSession hosted) throws Exception {
        int port = ((HostSession) hosted).server().port();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
