package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostSession;
import app.parley.session.Advertising;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the window's factory hosts with: the command line's --no-web and --no-advertise hold there too. */
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
