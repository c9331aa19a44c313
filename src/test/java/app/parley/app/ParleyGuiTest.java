package app.parley.app;

import static app.parley.app.AppGui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostServer;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.testing.QrReader;
import app.parley.testing.RawClient;
import app.parley.ui.chat.ChatViewModel;
import app.parley.ui.chat.Conversation;
import app.parley.ui.lines.ConversationLine;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
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
        int port = AppGui.hostThroughUi(this);
        RawClient joiner = peer(port);
        String joinerId = joiner.awaitId();

        waitUntil(() -> peopleIds().contains(joinerId));
        joiner.socket().emit(ChatEvents.SEND_MESSAGE, "hello host", "");
        waitUntil(() -> conversationTexts().contains("hello host"));

        // No click first: the composer has the focus when the chat opens, so typing never lands
        // on a button (a space would press "Stop hosting").
        write("hello joiner").type(KeyCode.ENTER);
        Object[] got = joiner.nextMessage();
        assertThat(got[0]).isEqualTo("hello joiner");
        waitUntil(() -> conversation().getItems().stream()
                .anyMatch(
                        l -> l.kind() == ConversationLine.Kind.OWN && l.status().equals("delivered")));

        // Guests without Parley: the address to open in a browser, a button that copies it, and a
        // QR code a real decoder reads back as that address.
        String invitation = lookup("#browser-invite").queryAs(Label.class).getText();
        assertThat(invitation).matches("Guests can open https?://\\S+:" + port + " in a browser");
        String address =
                invitation.substring("Guests can open ".length(), invitation.length() - " in a browser".length());
        clickOn("#copy-browser-address");
        String copied = WaitForAsyncUtils.asyncFx(
                        () -> Clipboard.getSystemClipboard().getString())
                .get(5, TimeUnit.SECONDS);
        assertThat(copied).isEqualTo(address);
        Canvas qr = lookup("#browser-qr-code").queryAs(Canvas.class);
        assertThat(qr.getAccessibleText()).contains(address);
        // Over a dark backdrop, as in the dark theme: the code must bring its own light quiet zone.
        SnapshotParameters dark = new SnapshotParameters();
        dark.setFill(Color.BLACK);
        WritableImage image =
                WaitForAsyncUtils.asyncFx(() -> qr.snapshot(dark, null)).get(5, TimeUnit.SECONDS);
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        assertThat(QrReader.read(width, height, pixels)).isEqualTo(address);
    }

    @Test
    void joinARoomWithTheControlsAndSendToIt() throws Exception {
        int port = AppGui.hostThroughUi(this);
        RawClient member = peer(port);
        RawClient outsider = peer(port);
        assertThat(member.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");
        outsider.awaitId();

        clickOn("#room-field").write("design").type(KeyCode.ENTER);
        waitUntil(() -> new Target.Room("design").equals(selectedConversation().target()));
        assertThat(conversations().getItems()).extracting(Conversation::title).contains("#design");
        assertThat(lookup("#conversation-title").queryAs(Label.class).getText()).isEqualTo("#design");
        // Who is in the room, live (room-members).
        waitUntil(() -> lookup("#room-members").queryAs(Label.class).getText().startsWith("2 here:"));
        assertThat(lookup("#room-members").queryAs(Label.class).getText()).contains("you");
        clickOn("#message-input").write("design review at 3").type(KeyCode.ENTER);

        Object[] got = member.nextMessage();
        assertThat(got[0]).isEqualTo("design review at 3");
        assertThat(((JSONObject) got[1]).getString("room")).isEqualTo("design");
        assertThat(outsider.nextMessage(500)).isNull();
    }

    @Test
    void sendADirectMessageByChoosingAPerson() throws Exception {
        int port = AppGui.hostThroughUi(this);
        RawClient ann = peer(port);
        RawClient bob = peer(port);
        String annId = ann.awaitId();
        String bobId = bob.awaitId();
        waitUntil(() -> peopleIds().containsAll(List.of(annId, bobId)));

        interact(() -> people().getSelectionModel().select(personIndex(annId)));
        clickOn("#message-person");
        assertThat(selectedConversation().target()).isEqualTo(new Target.Direct(annId));
        clickOn("#message-input").write("psst").type(KeyCode.ENTER);

        Object[] got = ann.nextMessage();
        assertThat(got[0]).isEqualTo("psst");
        assertThat(((JSONObject) got[1]).getString("kind")).isEqualTo("direct");
        assertThat(bob.nextMessage(500)).isNull();
    }

    @Test
    void unreadCountsGrowInTheSidebarAndClearWhenTheConversationIsOpened() throws Exception {
        int port = AppGui.hostThroughUi(this);
        RawClient member = peer(port);
        assertThat(member.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");
        clickOn("#room-field").write("design").type(KeyCode.ENTER);
        waitUntil(() -> new Target.Room("design").equals(selectedConversation().target()));
        Conversation design = selectedConversation();
        interact(() -> conversations().getSelectionModel().select(0)); // back to Everyone

        member.socket().emit(ChatEvents.SEND_MESSAGE, "are you there?", "design");
        member.socket().emit(ChatEvents.SEND_MESSAGE, "hello?", "design");
        waitUntil(() -> design.unreadProperty().get() == 2);
        waitUntil(() -> lookup(".unread-badge").queryAllAs(Label.class).stream()
                .anyMatch(badge -> badge.isVisible() && badge.getText().equals("2")));

        clickOn(lookup(".list-cell")
                .match(cell -> cell instanceof javafx.scene.control.ListCell<?> c && c.getItem() == design)
                .<javafx.scene.Node>query());
        waitUntil(() -> design.unreadProperty().get() == 0);
        assertThat(conversationTexts()).containsSubsequence("2 new messages", "are you there?", "hello?");
        assertThat(lookup(".unread-badge").queryAllAs(Label.class)).noneMatch(b -> b.isVisible());
    }

    @Test
    void aDirectConversationOpensFromThePeopleListAndShowsTyping() throws Exception {
        int port = AppGui.hostThroughUi(this);
        RawClient ann = peer(port);
        String annId = ann.awaitId();
        assertThat(ann.request(ChatEvents.SET_NAME, "Ann")[0].toString()).contains("\"ok\":true");
        waitUntil(() -> people().getItems().stream().anyMatch(p -> "Ann".equals(p.name())));

        doubleClickOn(lookup(".list-cell")
                .match(cell -> cell instanceof javafx.scene.control.ListCell<?> c
                        && c.getItem() instanceof ChatViewModel.Person p
                        && p.id().equals(annId))
                .<javafx.scene.Node>query());
        waitUntil(() -> new Target.Direct(annId).equals(selectedConversation().target()));
        assertThat(lookup("#conversation-title").queryAs(Label.class).getText()).isEqualTo("@Ann");

        ann.socket().emit(ChatEvents.TYPING, AppGui.myIdText(this).substring("You connected with id: ".length()), true);
        waitUntil(() -> lookup("#typing-line").queryAs(Label.class).getText().equals("Ann is typing…"));
        ann.socket()
                .emit(
                        ChatEvents.SEND_MESSAGE,
                        "hi, just you",
                        AppGui.myIdText(this).substring("You connected with id: ".length()));
        waitUntil(() -> conversationTexts().contains("hi, just you"));
        waitUntil(() -> lookup("#typing-line").queryAs(Label.class).getText().isEmpty());

        write("hi Ann").type(KeyCode.ENTER);
        Object[] got = ann.nextMessage();
        assertThat(got[0]).isEqualTo("hi Ann");
        assertThat(((JSONObject) got[1]).getString("kind")).isEqualTo("direct");
    }

    @Test
    void joinModeFromTheUiAgainstARunningHost() throws Exception {
        externalHost = new HostServer(HostConfig.loopback(Set.of()));
        int port = externalHost.start();
        RawClient other = peer(port);
        String otherId = other.awaitId();

        clickOn("#join-url").type(KeyCode.END).eraseText(40).write("127.0.0.1:" + port);
        clickOn("#join-button");
        waitUntil(() -> AppGui.myIdText(this).startsWith("You connected with id: "));
        String myId = AppGui.myIdText(this).substring("You connected with id: ".length());
        waitUntil(() -> externalHost.connectedIds().contains(myId));
        // Nobody connects after us, so this list can only come from the host's `peers` for a newcomer.
        waitUntil(() -> peopleIds().containsAll(List.of(myId, otherId)));

        other.socket().emit(ChatEvents.SEND_MESSAGE, "welcome", "");
        waitUntil(() -> conversationTexts().contains("welcome"));
        clickOn("#message-input").write("thanks").type(KeyCode.ENTER);
        assertThat(other.nextMessage()[0]).isEqualTo("thanks");
    }

    @Test
    void aRefusedJoinSaysWhyOnTheStartScreen() throws Exception {
        clickOn("#join-url").type(KeyCode.END).eraseText(40).write("ftp://nowhere");
        clickOn("#join-button");
        waitUntil(() -> !startError().getText().isEmpty());
        assertThat(startError().getText()).contains("http, https, ws or wss");
    }

    @Test
    void aWrongPasswordSendsTheJoinerBackToTheStartScreenWithTheReason() throws Exception {
        externalHost = new HostServer(HostConfig.loopback(Set.of()).withPassword("s3cret"));
        int port = externalHost.start();
        clickOn("#join-url").type(KeyCode.END).eraseText(40).write("127.0.0.1:" + port);
        clickOn("#join-password").write("guess");
        clickOn("#join-button");
        waitUntil(() -> lookup("#start-error").tryQuery().isPresent()
                && !startError().getText().isEmpty());
        assertThat(startError().getText()).contains("wrong password");
        assertThat(externalHost.connectedIds()).isEmpty();
        // The address is still there; only the password needs fixing.
        assertThat(lookup("#join-url").queryTextInputControl().getText()).isEqualTo("http://127.0.0.1:" + port);
        // The start screen comes back as the join fails: click once it is the one on the stage.
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> lookup("#join-password")
                .tryQuery()
                .map(n -> n.getScene() != null)
                .orElse(false));
        clickOn("#join-password").write("s3cret");
        clickOn("#join-button");
        waitUntil(() -> AppGui.myIdText(this).startsWith("You connected with id: "));
    }

    @Test
    void aPortInUseSaysWhyOnTheStartScreen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            clickOn("#host-port").type(KeyCode.END).eraseText(10).write(String.valueOf(taken.getLocalPort()));
            clickOn("#host-button");
            waitUntil(() -> !startError().getText().isEmpty());
            assertThat(startError().getText()).contains("already in use");
        }
    }

    private RawClient peer(int port) throws Exception {
        RawClient client = RawClient.connect(port);
        peers.add(client);
        client.awaitId();
        return client;
    }

    private ListView<ChatViewModel.Person> people() {
        return lookup("#people-list").queryListView();
    }

    private List<String> peopleIds() {
        return people().getItems().stream().map(ChatViewModel.Person::id).toList();
    }

    private int personIndex(String id) {
        return peopleIds().indexOf(id);
    }

    private ListView<Conversation> conversations() {
        return lookup("#conversations").queryListView();
    }

    private Conversation selectedConversation() {
        return conversations().getSelectionModel().getSelectedItem();
    }

    private ListView<ConversationLine> conversation() {
        return lookup("#conversation").queryListView();
    }

    private List<String> conversationTexts() {
        return conversation().getItems().stream().map(ConversationLine::text).toList();
    }

    private Label startError() {
        return lookup("#start-error").queryAs(Label.class);
    }
}
