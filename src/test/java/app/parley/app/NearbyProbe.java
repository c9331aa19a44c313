package app.parley.app;

import app.parley.session.ChatSession;
import app.parley.session.ConnectionState;
import app.parley.session.Identity;
import app.parley.session.NearbyEvent;
import app.parley.session.NearbySession;
import app.parley.session.NearbySessions;
import app.parley.session.SessionEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process for {@code NetworkNamespaceDiscoveryTest} to run in a namespace of its own: browses
 * with the app's own {@link DefaultSessionFactory#nearby()} and prints one line per event
 * ({@code found KEY NAME HOST PORT TLS FP PW WEB V}, tab-separated, or {@code lost KEY}); the line
 * {@code join KEY [PASSWORD]} on standard input joins that session through
 * {@link DefaultSessionFactory#join(NearbySession, String, Identity)} and prints
 * {@code connected KEY} once it is in (or {@code notice TEXT}); end of input closes everything.
 */
public final class NearbyProbe {
    private NearbyProbe() {}

    public static void main(String[] args) throws Exception {
        DefaultSessionFactory factory = new DefaultSessionFactory("0.0.0.0", null);
        Map<String, NearbySession> seen = new ConcurrentHashMap<>();
        List<ChatSession> joined = new ArrayList<>();
        NearbySessions nearby = factory.nearby();
        nearby.start(event -> {
            if (event instanceof NearbyEvent.Found found) {
                NearbySession s = found.session();
                seen.put(s.key(), s);
                print(
                        "found",
                        s.key(),
                        s.name(),
                        s.host(),
                        String.valueOf(s.port()),
                        flag(s.tls()),
                        s.fingerprint(),
                        flag(s.password()),
                        flag(s.web()),
                        s.version());
            } else if (event instanceof NearbyEvent.Lost lost) {
                print("lost", lost.key());
            }
        });
        print("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.strip().split(" ", 3);
            if (parts.length >= 2 && parts[0].equals("join")) {
                NearbySession target = seen.get(parts[1]);
                if (target == null) {
                    print("notice", "no session " + parts[1]);
                    continue;
                }
                ChatSession session = factory.join(
                        target,
                        parts.length > 2 ? parts[2] : "",
                        new Identity("probe", UUID.randomUUID().toString()));
                session.addListener(e -> {
                    if (e instanceof SessionEvent.StateChanged changed
                            && changed.state() == ConnectionState.CONNECTED) {
                        print("connected", target.key());
                    } else if (e instanceof SessionEvent.Notice notice) {
                        print("notice", notice.text().replace('\n', ' '));
                    }
                });
                joined.add(session);
                session.open();
            }
        }
        for (ChatSession session : joined) {
            session.close();
        }
        nearby.close();
        System.exit(0);
    }

    private static String flag(boolean value) {
        return value ? "1" : "0";
    }

    private static synchronized void print(String... fields) {
        System.out.println(String.join("\t", fields));
        System.out.flush();
    }
}
