package app.parley.app;

import static app.parley.app.AppGui.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatEvents;
import app.parley.testing.RawClient;
import app.parley.ui.sockets.SocketRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The host window's Sockets pane (#28) as a host uses it, headless: the real app hosting, real
 * socket.io-client-java guests over loopback, and what the pane's buttons do seen from the guests'
 * side of the wire. With {@code -Dparley.socketsScreenshot=<png>} it saves the window before
 * filtering.
 */
class SocketsGuiTest extends FxRobot {
    private Application app;
    private final List<RawClient> peers = new ArrayList<>();

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
    }

    @Test
    void everySocketLiveWithItsRoomsRatesAndTheHostsActions() throws Exception {
        int port = AppGui.hostThroughUi(this);
        String ownId = AppGui.myIdText(this).substring("You connected with id: ".length());

        RawClient ann = peer(port, new String[] {"polling"});
        RawClient bob = peer(port, new String[] {"websocket"});
        String annId = ann.awaitId();
        String bobId = bob.awaitId();
        assertThat(ann.request(ChatEvents.SET_NAME, "ann")[0]).isNotNull();

        clickOn("#sockets-button");
        waitUntil(() -> table().getItems().size() == 3);
        SocketRow own = row(ownId).orElseThrow();
        assertThat(own.own()).isTrue();
        assertThat(own.nameProperty().get()).endsWith("(this window)");
        waitUntil(() -> "ann".equals(row(annId).map(r -> r.nameProperty().get()).orElse("")));
        SocketRow annRow = row(annId).orElseThrow();
        assertThat(annRow.transportProperty().get()).isEqualTo("polling");
        assertThat(annRow.address()).isEqualTo("127.0.0.1");
        assertThat(row(bobId).orElseThrow().transportProperty().get()).isEqualTo("websocket");
        assertThat(lookup("#sockets-summary").queryAs(Label.class).getText()).startsWith("3 sockets (3 in the chat)");

        // The host window's own socket cannot be kicked.
        select(own);
        assertThat(lookup("#sockets-kick").queryAs(Button.class).isDisabled()).isTrue();

        // Rooms the guest joins by itself show up live.
        assertThat(bob.request(ChatEvents.JOIN_ROOM, "lobby")[0]).isEqualTo("Joined lobby");
        waitUntil(() -> row(bobId).orElseThrow().roomsProperty().get().equals(List.of("lobby")));

        // Move ann into a room: she gets what is sent to it from then on.
        select(annRow);
        clickOn("#sockets-room").write("design");
        clickOn("#sockets-join");
        waitUntil(() -> annRow.roomsProperty().get().equals(List.of("design")));
        assertThat(lookup("#sockets-status").queryAs(Label.class).getText())
                .isEqualTo("ann (" + annId + ") was moved into design");
        bob.socket().emit(ChatEvents.SEND_MESSAGE, "to design", "design");
        assertThat(nextText(ann, "to design")).isTrue();

        // Her messages show as a rate while she sends them.
        CompletableFuture<Void> chatter = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 30; i++) {
                ann.socket().emit(ChatEvents.TYPING, "design", i % 2 == 0);
                pause(100);
            }
        });
        waitUntil(() -> !annRow.messageRateProperty().get().startsWith("0 /"));
        chatter.get(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);

        // Take her out again: what is sent to the room no longer reaches her.
        clickOn("#sockets-leave");
        waitUntil(() -> annRow.roomsProperty().get().isEmpty());
        drain(ann);
        bob.socket().emit(ChatEvents.SEND_MESSAGE, "design only", "design");
        bob.socket().emit(ChatEvents.SEND_MESSAGE, "everyone", "");
        assertThat(nextText(ann, "everyone")).isTrue();

        // A bad room name is refused with the host's reason, and nothing moves.
        clickOn("#sockets-room").eraseText(10).write(" ");
        clickOn("#sockets-join");
        assertThat(lookup("#sockets-status").queryAs(Label.class).getText()).startsWith("Not done: ");
        assertThat(annRow.roomsProperty().get()).isEmpty();

        // Kick bob: his client is disconnected by the server and his row goes.
        select(row(bobId).orElseThrow());
        clickOn("#sockets-kick");
        waitUntil(() -> !bob.socket().connected());
        waitUntil(() -> row(bobId).isEmpty() && table().getItems().size() == 2);
        assertThat(lookup("#sockets-status").queryAs(Label.class).getText()).isEqualTo(bobId + " was kicked");

        String screenshot = System.getProperty("parley.socketsScreenshot");
        if (screenshot != null) {
            select(annRow);
            WaitForAsyncUtils.sleep(1200, TimeUnit.MILLISECONDS);
            FilesGuiTest.save(
                    WaitForAsyncUtils.asyncFx(() -> table().getScene().snapshot(null))
                            .get(5, TimeUnit.SECONDS),
                    java.nio.file.Path.of(screenshot));
        }

        // The filter finds sockets by name.
        clickOn("#sockets-filter").write("ann");
        waitUntil(() ->
                table().getItems().size() == 1 && table().getItems().get(0).id().equals(annId));
    }

    private boolean nextText(RawClient client, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(RawClient.WAIT_SECONDS);
        while (System.nanoTime() < end) {
            Object[] got = client.nextMessage(500);
            if (got != null) {
                assertThat(got[0]).as("a message before %s", text).isNotEqualTo("design only");
                if (text.equals(got[0])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void drain(RawClient client) throws InterruptedException {
        while (client.nextMessage(200) != null) {
            // Earlier messages (the host's greeting, the room traffic) are not what this part checks.
        }
    }

    private void select(SocketRow row) {
        interact(() -> table().getSelectionModel().select(row));
    }

    @SuppressWarnings("unchecked")
    private TableView<SocketRow> table() {
        return lookup("#sockets-table").queryAs(TableView.class);
    }

    private Optional<SocketRow> row(String id) {
        return List.copyOf(table().getItems()).stream()
                .filter(r -> r.id().equals(id) && r.chat())
                .findFirst();
    }

    private RawClient peer(int port, String[] transports) {
        RawClient client = RawClient.connect(port, transports, Map.of());
        peers.add(client);
        return client;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
