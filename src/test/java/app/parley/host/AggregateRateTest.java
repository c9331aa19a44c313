package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** More connections buy no more events than one user, or one address, may send (ChatBudgets). */
class AggregateRateTest {
    private static final HostConfig.ChatRate RATE = new HostConfig.ChatRate(5, 1);

    private HostServer host;
    private int port;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        host.close();
    }

    private RawClient client(Map<String, Object> auth, String from) throws Exception {
        RawClient client =
                new RawClient(URI.create("http://127.0.0.1:" + port), new String[] {"websocket"}, Map.of(), auth, from);
        clients.add(client);
        client.socket().connect();
        client.awaitId();
        return client;
    }

    /** Each client sends its whole burst; returns the refusals, by reason. */
    private List<String> sendBursts(List<RawClient> senders) throws Exception {
        long start = System.nanoTime();
        List<String> refusals = refusals(senders);
        elapsedSeconds = (System.nanoTime() - start) / 1e9;
        return refusals;
    }

    private double elapsedSeconds;

    /** At most this many more get through than the budget's burst, for its refill meanwhile. */
    private int refilled(int perSecond) {
        return (int) Math.ceil(elapsedSeconds * perSecond) + 1;
    }

    private static List<String> refusals(List<RawClient> senders) throws Exception {
        List<String> refusals = new ArrayList<>();
        for (RawClient sender : senders) {
            for (int i = 0; i < RATE.burst(); i++) {
                Object answer = sender.request(ChatEvents.SEND_MESSAGE, "hello " + i, "")[0];
                JSONObject json = (JSONObject) answer;
                if (json.has("error")) {
                    refusals.add(json.toString());
                }
            }
        }
        return refusals;
    }

    @Test
    void connectionsFromOneAddressShareItsBudget() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(RATE));
        port = host.start();
        List<RawClient> crowd = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            crowd.add(client(null, "127.0.0.4"));
        }
        // 20 connections within their own budget would send 100; the address may send 50 at once.
        List<String> refusals = sendBursts(crowd);
        assertThat(refusals).hasSizeBetween(100 - 50 - refilled(10), 100 - 50);
        assertThat(refusals.get(0)).contains("too many events from 127.0.0.4");
        // Another address is not affected.
        assertThat(sendBursts(List.of(client(null, "127.0.0.5")))).isEmpty();
    }

    @Test
    void connectionsOfOneUserShareTheirBudget() throws Exception {
        host = new HostServer(HostConfig.loopback(Set.of()).withChatRate(RATE));
        port = host.start();
        List<RawClient> windows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            windows.add(client(Map.of("user", "aggregate-rate-user-key-0123456789"), "127.0.0." + (10 + i)));
        }
        // Six windows of one person would send 30; the person may send 15 at once.
        List<String> refusals = sendBursts(windows);
        assertThat(refusals).hasSizeBetween(30 - 15 - refilled(3), 30 - 15);
        assertThat(refusals.get(0)).contains("too many events from your connections together");
    }
}
