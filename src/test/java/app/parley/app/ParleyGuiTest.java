package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import app.parley.ui.ConversationLine;
import app.parley.ui.TargetChoice;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.application.Application;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The app as a person uses it, headless (TestFX + Monocle): the real window, the real host and
 * real socket.io-client-java peers over loopback.
 */
class ParleyGuiTest extends FxRobot {
    private Application app;
    private final List<RawClient> peers = new ArrayList<>();
    private HostServer externalHost;

    @BeforeEach
    void launch() throws Exception {
        FxToolkit.registerPrimaryStage();
        ParleyApp.options = LaunchOptions.parse();
        app = FxToolkit.setupApplication(ParleyApp::new);
    }

    @AfterEach
    void close() throws Exception {
        peers.forEach(RawClient::close);
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        if (externalHost != null) {
            externalHost.close();
        }
    }

    @Test
    void hostThroughTheUiAndChatWithAJoiner() throws Exception {
        int port = hostThroughUi();
        RawClient joiner = peer(port);
        String joinerId = joiner.awaitId();

        waitUntil(() -> people().getItems().contains(joinerId));
        joiner.socket().emit(ChatEvents.SEND_MESSAGE, "hello host", "");
        waitUntil(() -> conversationTexts().contains("hello host"));

        // No click first: the composer has the focus when the chat opens, so typing never lands
        // on a button (a space would press "Stop hosting").
        write("hello joiner").type(KeyCode.ENTER);
        Object[] got = joiner.nextMessage();
        assertThat(got[0]).isEqualTo("hello joiner");
        waitUntil(() -> conversation().getItems().stream()
                .anyMatch(l -> l.kind() == ConversationLine.Kind.OWN && l.status().equals("delivered")));
    }

    @Test
    void joinARoomWithTheControlsAndSendToIt() throws Exception {
        int port = hostThroughUi();
        RawClient member = peer(port);
        RawClient outsider = peer(port);
        assertThat(member.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");
        outsider.awaitId();

        clickOn("#room-field").write("design").type(KeyCode.ENTER);
        waitUntil(() -> lookup("#rooms-list").queryListView().getItems().contains("design"));
        waitUntil(() -> TargetChoice.room("design").equals(targetChooser().getValue()));
        clickOn("#message-input").write("design review at 3").type(KeyCode.ENTER);

        Object[] got = member.nextMessage();
        assertThat(got[0]).isEqualTo("design review at 3");
        assertThat(((JSONObject) got[1]).getString("room")).isEqualTo("design");
        assertThat(outsider.nextMessage(500)).isNull();
    }

    @Test
    void sendADirectMessageByChoosingAPerson() throws Exception {
        int port = hostThroughUi();
        RawClient ann = peer(port);
        RawClient bob = peer(port);
        String annId = ann.awaitId();
        String bobId = bob.awaitId();
        waitUntil(() -> people().getItems().containsAll(List.of(annId, bobId)));

        interact(() -> people().getSelectionModel().select(annId));
        clickOn("#message-person");
        assertThat(targetChooser().getValue()).isEqualTo(TargetChoice.person(annId));
        clickOn("#message-input").write("psst").type(KeyCode.ENTER);

        Object[] got = ann.nextMessage();
        assertThat(got[0]).isEqualTo("psst");
        assertThat(((JSONObject) got[1]).getString("kind")).isEqualTo("direct");
        assertThat(bob.nextMessage(500)).isNull();
    }

    @Test
    void joinModeFromTheUiAgainstARunningHost() throws Exception {
        externalHost = new HostServer(HostConfig.loopback(Set.of()));
        int port = externalHost.start();
        RawClient other = peer(port);
        String otherId = other.awaitId();

        clickOn("#join-url").eraseText(40).write("127.0.0.1:" + port);
        clickOn("#join-button");
        waitUntil(() -> myIdText().startsWith("You connected with id: "));
        String myId = myIdText().substring("You connected with id: ".length());
        assertThat(externalHost.connectedIds()).contains(myId);
        // Nobody connects after us, so this list can only come from the host's `peers` for a newcomer.
        waitUntil(() -> people().getItems().containsAll(List.of(myId, otherId)));

        other.socket().emit(ChatEvents.SEND_MESSAGE, "welcome", "");
        waitUntil(() -> conversationTexts().contains("welcome"));
        clickOn("#message-input").write("thanks").type(KeyCode.ENTER);
        assertThat(other.nextMessage()[0]).isEqualTo("thanks");
    }

    @Test
    void aRefusedJoinSaysWhyOnTheStartScreen() throws Exception {
        clickOn("#join-url").eraseText(40).write("ftp://nowhere");
        clickOn("#join-button");
        waitUntil(() -> !startError().getText().isEmpty());
        assertThat(startError().getText()).contains("http, https, ws or wss");
    }

    @Test
    void aWrongPasswordSendsTheJoinerBackToTheStartScreenWithTheReason() throws Exception {
        externalHost = new HostServer(HostConfig.loopback(Set.of()).withPassword("s3cret"));
        int port = externalHost.start();
        clickOn("#join-url").eraseText(40).write("127.0.0.1:" + port);
        clickOn("#join-password").write("guess");
        clickOn("#join-button");
        waitUntil(() -> lookup("#start-error").tryQuery().isPresent() && !startError().getText().isEmpty());
        assertThat(startError().getText()).contains("wrong password");
        assertThat(externalHost.connectedIds()).isEmpty();
        // The address is still there; only the password needs fixing.
        assertThat(lookup("#join-url").queryTextInputControl().getText()).isEqualTo("http://127.0.0.1:" + port);
        clickOn("#join-password").write("s3cret");
        clickOn("#join-button");
        waitUntil(() -> myIdText().startsWith("You connected with id: "));
    }

    @Test
    void aPortInUseSaysWhyOnTheStartScreen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            clickOn("#host-port").eraseText(10).write(String.valueOf(taken.getLocalPort()));
            clickOn("#host-button");
            waitUntil(() -> !startError().getText().isEmpty());
            assertThat(startError().getText()).contains("already in use");
        }
    }

    private int hostThroughUi() throws Exception {
        int port = freePort();
        clickOn("#host-port").eraseText(10).write(String.valueOf(port));
        clickOn("#host-button");
        waitUntil(() -> myIdText().startsWith("You connected with id: "));
        return port;
    }

    private RawClient peer(int port) throws Exception {
        RawClient client = RawClient.connect(port);
        peers.add(client);
        client.awaitId();
        return client;
    }

    private ListView<String> people() {
        return lookup("#people-list").queryListView();
    }

    private ListView<ConversationLine> conversation() {
        return lookup("#conversation").queryListView();
    }

    private List<String> conversationTexts() {
        return conversation().getItems().stream().map(ConversationLine::text).toList();
    }

    @SuppressWarnings("unchecked")
    private ComboBox<TargetChoice> targetChooser() {
        return lookup("#target").query();
    }

    private String myIdText() {
        return lookup("#my-id").tryQueryAs(Label.class).map(Label::getText).orElse("");
    }

    private Label startError() {
        return lookup("#start-error").queryAs(Label.class);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(RawClient.WAIT_SECONDS, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
