package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parley's join mode against the tutorial's plain Node.js {@code socket.io} 4.8 server
 * ({@code interop/tutorial-server.mjs}), with a Node.js socket.io-client peer in the same rooms.
 * The server sends only the text (no meta) and never acks {@code send-message}.
 */
class TutorialServerInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long QUIET_MILLIS = 500;

    private NodeProcess server;
    private int port;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startTutorialServer() throws Exception {
        server = startServer("0");
        port = server.awaitListeningPort();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.close();
    }

    @Test
    void parleyAndNodeClientsChatThroughTheTutorialServerInBothDirections() throws Exception {
        SessionLog annLog = new SessionLog("ann (Parley, polling+websocket)");
        SessionLog bobLog = new SessionLog("bob (Parley, websocket)");
        ClientConnection ann = parley(
                annLog, ClientConnection.Options.builder().withoutReconnect().build());
        ClientConnection bob = parley(
                bobLog,
                ClientConnection.Options.builder()
                        .transports("websocket")
                        .withoutReconnect()
                        .build());
        NodeProcess node = nodePeer();
        String annId = annLog.awaitConnected(WAIT);
        String bobId = bobLog.awaitConnected(WAIT);
        String nodeId = node.awaitEvent("connected", WAIT).getString("id");
        assertThat(List.of(annId, bobId, nodeId)).doesNotHaveDuplicates();

        // Everyone, from Parley: the future completes although the server never acks.
        ann.send(Target.EVERYONE, "parley to everyone").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(awaitNodeMessage(node, "parley to everyone")
                        .getJSONArray("args")
                        .length())
                .as("the tutorial server relays the text only")
                .isEqualTo(1);
        assertTutorialMessage(bobLog.awaitMessage("parley to everyone", WAIT));
        assertThat(ann.isParleyHost())
                .as("a tutorial server is not taken for a Parley host")
                .isFalse();

        // Everyone, from Node.
        node.send(new JSONObject()
                .put("op", "send")
                .put("text", "node to everyone")
                .put("room", ""));
        assertTutorialMessage(annLog.awaitMessage("node to everyone", WAIT));
        assertTutorialMessage(bobLog.awaitMessage("node to everyone", WAIT));

        // A room both Parley (ann) and Node joined; bob did not.
        assertThat(ann.joinRoom("design").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("Joined design");
        node.send(new JSONObject().put("op", "join").put("room", "design").put("tag", "join-design"));
        assertThat(node.awaitJson(
                                j -> "join-design".equals(j.optString("tag")) && "ack".equals(j.optString("event")),
                                WAIT,
                                "join-room ack")
                        .getString("reply"))
                .isEqualTo("Joined design");
        node.send(
                new JSONObject().put("op", "send").put("text", "node to design").put("room", "design"));
        assertTutorialMessage(annLog.awaitMessage("node to design", WAIT));
        ann.send(new Target.Room("design"), "parley to design").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitNodeMessage(node, "parley to design");

        // Direct messages: the room is the target's socket id.
        node.send(new JSONObject().put("op", "send").put("text", "node to ann").put("room", annId));
        assertTutorialMessage(annLog.awaitMessage("node to ann", WAIT));
        bob.send(new Target.Direct(nodeId), "bob to node").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitNodeMessage(node, "bob to node");
        ann.send(new Target.Direct(bobId), "ann to bob").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTutorialMessage(bobLog.awaitMessage("ann to bob", WAIT));

        // Nobody got what was not meant for them, and no sender got its own message back.
        Thread.sleep(QUIET_MILLIS);
        assertThat(annLog.messages("parley to everyone")).isEmpty();
        assertThat(annLog.messages("parley to design")).isEmpty();
        assertThat(bobLog.messages("node to design")).isEmpty();
        assertThat(bobLog.messages("parley to design")).isEmpty();
        assertThat(bobLog.messages("node to ann")).isEmpty();
        assertThat(annLog.messages("bob to node")).isEmpty();
        assertThat(nodeMessages(node, "node to everyone")).isEmpty();
        assertThat(nodeMessages(node, "node to design")).isEmpty();
        assertThat(nodeMessages(node, "ann to bob")).isEmpty();
        assertThat(nodeMessages(node, "node to ann")).isEmpty();
        for (SessionLog log : List.of(annLog, bobLog)) {
            assertThat(log.events())
                    .as("%s: each message arrives once", log)
                    .filteredOn(SessionEvent.MessageReceived.class::isInstance)
                    .extracting(
                            e -> ((SessionEvent.MessageReceived) e).message().text())
                    .doesNotHaveDuplicates();
        }
        assertThat(server.isAlive())
                .as("tutorial server still running\n%s", server.transcript())
                .isTrue();
    }

    /**
     * PROTOCOL §6: after a reconnect Parley re-emits {@code join-room} for each remembered room.
     * The tutorial's handler calls its ack callback unconditionally, so the re-join must carry one.
     */
    @Test
    void parleyRejoiningItsRoomsAfterAServerRestartKeepsTheTutorialServerRunning() throws Exception {
        SessionLog annLog = new SessionLog("ann (Parley, reconnecting)");
        ClientConnection ann = parley(annLog, ClientConnection.Options.defaults());
        annLog.awaitConnected(WAIT);
        assertThat(ann.joinRoom("design").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("Joined design");

        server.close();
        server = startServer(String.valueOf(port));
        server.awaitLine(line -> line.startsWith("listening "), Duration.ofSeconds(15), "restarted server listening");
        annLog.await(
                SessionEvent.Connected.class,
                c -> annLog.count(SessionEvent.Connected.class) >= 2,
                Duration.ofSeconds(20),
                "second Connected event (the reconnect)");
        Thread.sleep(QUIET_MILLIS); // the re-join goes out right after connect

        assertThat(server.isAlive())
                .as("the tutorial server survived Parley's re-join\n%s", server.transcript())
                .isTrue();
        NodeProcess node = nodePeer();
        node.awaitEvent("connected", WAIT);
        node.send(new JSONObject()
                .put("op", "send")
                .put("text", "still in design")
                .put("room", "design"));
        assertTutorialMessage(annLog.awaitMessage("still in design", WAIT));
    }

    private NodeProcess startServer(String portArg) throws Exception {
        return NodeProcess.start("tutorial-server.mjs", portArg, "http://localhost:8080", "--exit-on-stdin-close");
    }

    private ClientConnection parley(SessionLog log, ClientConnection.Options options) {
        ClientConnection connection = new ClientConnection(URI.create("http://127.0.0.1:" + port), options);
        connection.addListener(log);
        opened.add(connection);
        connection.open();
        return connection;
    }

    private NodeProcess nodePeer() throws Exception {
        NodeProcess node = NodeProcess.start("tutorial-peer.mjs", "http://127.0.0.1:" + port, "default");
        opened.add(node);
        return node;
    }

    /** A message relayed by a tutorial server: no sender, no id, addressed as "everyone". */
    private static void assertTutorialMessage(ChatMessage message) {
        assertThat(message.from()).isNull();
        assertThat(message.id()).isNull();
        assertThat(message.kind()).isEqualTo(MessageKind.EVERYONE);
    }

    private static JSONObject awaitNodeMessage(NodeProcess node, String text) throws InterruptedException {
        return node.awaitJson(j -> isMessage(j, text), WAIT, "receive-message \"" + text + "\"");
    }

    private static List<JSONObject> nodeMessages(NodeProcess node, String text) {
        return node.jsonLines().stream().filter(j -> isMessage(j, text)).toList();
    }

    private static boolean isMessage(JSONObject line, String text) {
        JSONArray args = line.optJSONArray("args");
        return "receive-message".equals(line.optString("event")) && args != null && text.equals(args.opt(0));
    }
}
