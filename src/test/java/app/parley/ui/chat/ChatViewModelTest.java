package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.host.HostConfig;
import app.parley.host.HostSession;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.session.BrowserInvite;
import app.parley.session.ConnectionState;
import app.parley.testing.QrReader;
import app.parley.testing.RawClient;
import app.parley.ui.lines.ConversationLine;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat view model with no stage: a real host session over loopback, and a queue standing in
 * for the FX thread, pumped by the test so every model change happens on one thread.
 */
class ChatViewModelTest {
    private final BlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
    private final Executor ui = uiQueue::add;
    private HostSession session;
    private ChatViewModel model;
    private RawClient peer;

    @BeforeEach
    void open() throws Exception {
        session = HostSession.start(HostConfig.loopback(Set.of()));
        model = new ChatViewModel(session, ui);
        model.open();
        pumpUntil(() -> model.stateProperty().get() == ConnectionState.CONNECTED);
        peer = RawClient.connect(session.server().port());
        peer.awaitId();
    }

    @AfterEach
    void close() {
        peer.close();
        model.close();
    }

    @Test
    void ownMessageGoesFromSendingToDelivered() throws Exception {
        model.draftProperty().set("  hello  ");
        model.send();

        assertThat(model.draftProperty().get()).isEmpty();
        ConversationLine line = model.conversation().get(model.conversation().size() - 1);
        assertThat(line.text()).isEqualTo("hello");
        assertThat(line.status()).isEqualTo("sending");
        assertThat(peer.nextMessage()[0]).isEqualTo("hello");
        // a presence notice may land after it; the history page asked for on connect may hold it too
        pumpUntil(() -> ownLines("hello").stream().allMatch(l -> l.status().equals("delivered")));
        Thread.sleep(300);
        for (Runnable work; (work = uiQueue.poll()) != null; ) {
            work.run();
        }
        assertThat(ownLines("hello")).as("shown once: " + model.conversation()).hasSize(1);
    }

    private java.util.List<ConversationLine> ownLines(String text) {
        return model.conversation().stream()
                .filter(l -> l.kind() == ConversationLine.Kind.OWN && l.text().equals(text))
                .toList();
    }

    @Test
    void aHostThatServesItsWebClientInvitesBrowserGuestsByAddressAndQrCode() {
        BrowserInvite invite = model.browserInvite().orElseThrow();
        assertThat(invite.address()).isEqualTo(session.joinAddresses().get(0));
        assertThat(model.browserInvitation()).isEqualTo("Guests can open " + invite.address() + " in a browser");
        assertThat(QrReader.read(invite.qrCode())).isEqualTo(invite.address());
    }

    @Test
    void noInvitationWithoutAWebClientOrForAJoiner() {
        try (HostSession bare = HostSession.start(HostConfig.loopback(Set.of()).withWebClient(false))) {
            ChatViewModel host = new ChatViewModel(bare, ui);
            assertThat(host.browserInvite()).isEmpty();
            assertThat(host.browserInvitation()).isEmpty();
            assertThat(host.joinAddresses()).isNotEmpty();
        }
        ChatViewModel joiner = new ChatViewModel(joinerOf(session), ui);
        assertThat(joiner.browserInvite()).isEmpty();
        assertThat(joiner.browserInvitation()).isEmpty();
        joiner.close();
    }

    @Test
    void aMessageTheClientRefusesIsMarkedFailedWithTheReason() throws Exception {
        model.draftProperty().set("x".repeat(4001));
        model.send();
        pumpUntil(() -> lastLine().kind() == ConversationLine.Kind.NOTICE);
        assertThat(lastLine().text()).contains("longer than 4000");
        assertThat(model.conversation()).anyMatch(l -> l.status().equals("failed"));
        assertThat(peer.nextMessage(300)).isNull();
    }

    @Test
    void joiningARoomOpensItsConversation() throws Exception {
        model.joinRoom(" design ");
        pumpUntil(() -> model.rooms().contains("design"));
        pumpUntil(() ->
                new Target.Room("design").equals(model.selectedProperty().get().target()));
        assertThat(model.conversations()).extracting(Conversation::title).containsExactly("Everyone", "#design");
        assertThat(model.conversation()).anyMatch(l -> l.text().equals("Joined design"));
    }

    @Test
    void messagesElsewhereCountAsUnreadUntilThatConversationIsOpened() throws Exception {
        String peerId = peer.awaitId();
        model.joinRoom("design");
        pumpUntil(() -> model.selectedProperty().get().title().equals("#design"));
        Conversation design = model.selectedProperty().get();
        Conversation everyone = model.conversations().get(0);
        model.select(everyone);
        assertThat(peer.request(ChatEvents.JOIN_ROOM, "design")).containsExactly("Joined design");
        peer.socket().emit(ChatEvents.SEND_MESSAGE, "one", "design");
        peer.socket().emit(ChatEvents.SEND_MESSAGE, "two", "design");
        pumpUntil(() -> design.unreadProperty().get() == 2);
        assertThat(everyone.unreadProperty().get()).isZero();

        model.select(design);
        assertThat(design.unreadProperty().get()).isZero();
        List<String> texts = design.lines().stream().map(ConversationLine::text).toList();
        assertThat(texts.subList(texts.size() - 3, texts.size())).containsExactly("2 new messages", "one", "two");
        // Messages while we look at it are read at once.
        peer.socket().emit(ChatEvents.SEND_MESSAGE, "three", "design");
        pumpUntil(() -> lastLine().text().equals("three"));
        assertThat(design.unreadProperty().get()).isZero();
        assertThat(lastLine().sender()).isEqualTo(peerId);
    }

    @Test
    void aJoinerSeesWhatWasSaidBeforeAndPagesBackFurther() throws Exception {
        for (int i = 1; i <= ChatViewModel.PAGE + 10; i++) {
            assertThat(peer.request(ChatEvents.SEND_MESSAGE, "early " + i, "")[0].toString())
                    .contains("\"ok\":true");
        }
        ChatViewModel late = new ChatViewModel(joinerOf(session), ui);
        late.open();
        pumpUntil(() ->
                late.conversation().stream().anyMatch(l -> l.text().equals("early " + (ChatViewModel.PAGE + 10))));
        assertThat(late.conversation()).noneMatch(l -> l.text().equals("early 10"));
        late.loadOlder();
        pumpUntil(() -> late.conversation().get(0).text().equals("early 1"));
        assertThat(late.conversation().stream()
                        .filter(l -> l.text().startsWith("early "))
                        .count())
                .isEqualTo(ChatViewModel.PAGE + 10);
        late.close();
    }

    @Test
    void theTypingLineShowsWhoTypesInTheSelectedConversation() throws Exception {
        String peerId = peer.awaitId();
        pumpUntil(() -> model.people().stream().anyMatch(p -> p.id().equals(peerId)));
        peer.socket().emit(ChatEvents.SET_NAME, "Ann");
        pumpUntil(() -> model.people().stream().anyMatch(p -> "Ann".equals(p.name())));
        peer.socket().emit(ChatEvents.TYPING, "", true);
        pumpUntil(() -> model.selectedProperty().get().typingProperty().get().equals("Ann is typing…"));
        peer.socket().emit(ChatEvents.TYPING, "", false);
        pumpUntil(() -> model.selectedProperty().get().typingProperty().get().isEmpty());
    }

    @Test
    void peopleAndIncomingMessagesShowUp() throws Exception {
        String peerId = peer.awaitId();
        pumpUntil(() ->
                ids().contains(peerId) && ids().contains(model.myIdProperty().get()));

        peer.socket().emit(ChatEvents.SEND_MESSAGE, "from a peer", "");
        pumpUntil(() -> lastLine().text().equals("from a peer"));
        assertThat(lastLine().sender()).isEqualTo(peerId);
        assertThat(lastLine().kind()).isEqualTo(ConversationLine.Kind.OTHER);

        model.messagePerson(peerId);
        assertThat(model.selectedProperty().get().target()).isEqualTo(new Target.Direct(peerId));
        model.messagePerson(model.myIdProperty().get());
        assertThat(model.selectedProperty().get().target())
                .as("messaging yourself is not offered")
                .isEqualTo(new Target.Direct(peerId));
    }

    @Test
    void whileAJoinerIsNotConnectedItsPeopleListSaysSoInsteadOfNobodyElse() throws Exception {
        ChatViewModel joiner = new ChatViewModel(joinerOf(session), ui);
        joiner.open();
        pumpUntil(() -> joiner.stateProperty().get() == ConnectionState.CONNECTED
                && !joiner.people().isEmpty());
        assertThat(joiner.peoplePlaceholder().get()).isEqualTo("Nobody else yet");

        session.close();
        pumpUntil(() -> joiner.stateProperty().get() == ConnectionState.RECONNECTING);
        assertThat(joiner.people()).isEmpty();
        assertThat(joiner.peoplePlaceholder().get()).isEqualTo("Not connected");
        joiner.close();
    }

    @Test
    void customEventsNeedValidJsonAndReachTheConsole() throws Exception {
        assertThat(model.emitCustom("custom-event", "10, 'Hi'")).contains("Invalid JSON at character 5");
        assertThat(model.emitCustom("send-message", "\"x\"")).contains("reserved");
        assertThat(model.emitCustom("custom-event", "10, \"Hi\", {\"a\": 1}")).isNull();
        assertThat(model.consoleLines()).anyMatch(l -> l.endsWith("sent custom-event [10,\"Hi\",{\"a\":1}]"));

        peer.socket().emit("custom-event", "from peer");
        pumpUntil(
                () -> model.consoleLines().stream().anyMatch(l -> l.contains("received custom-event [\"from peer\"]")));
    }

    @Test
    void announcementsReachEveryoneIncludingTheHostWindow() throws Exception {
        model.announceProperty().set(true);
        model.draftProperty().set("Welcome all");
        model.send();
        assertThat(peer.nextMessage()[0]).isEqualTo("Welcome all");
        pumpUntil(() -> lastLine().kind() == ConversationLine.Kind.ANNOUNCEMENT);
        assertThat(lastLine().text()).isEqualTo("Welcome all");
    }

    @Test
    void aFloodJoinsTheConversationInOrderAsOneChangePerTurn() throws Exception {
        String peerId = peer.awaitId();
        pumpUntil(() -> ids().contains(peerId));
        java.util.List<Integer> addedPerChange = new java.util.ArrayList<>();
        model.conversation().addListener((javafx.collections.ListChangeListener<ConversationLine>) change -> {
            while (change.next()) {
                addedPerChange.add(change.getAddedSize());
            }
        });
        int before = model.conversation().size();
        // 50: within the host's per-connection burst (HostConfig.ChatRate), so none is refused.
        for (int i = 0; i < 50; i++) {
            peer.socket().emit(ChatEvents.SEND_MESSAGE, "flood " + i, "");
        }
        // The "UI thread" is busy meanwhile: nothing is pumped until every message has arrived.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RawClient.WAIT_SECONDS);
        while (uiQueue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(500);
        assertThat(uiQueue)
                .as("one drain is queued, however many messages wait")
                .hasSize(1);
        uiQueue.take().run();
        pumpUntil(() -> model.conversation().size() - before == 50);
        assertThat(model.conversation().subList(before, before + 50))
                .extracting(ConversationLine::text)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> "flood " + i)
                        .toList());
        assertThat(addedPerChange.get(0))
                .as("the first turn takes everything that had arrived")
                .isEqualTo(50);
    }

    private List<String> ids() {
        return model.people().stream().map(ChatViewModel.Person::id).toList();
    }

    /** A second window joining the same host. */
    private static app.parley.join.ClientConnection joinerOf(HostSession host) {
        return new app.parley.join.ClientConnection(
                java.net.URI.create("http://127.0.0.1:" + host.server().port()),
                app.parley.join.ClientConnection.Options.builder()
                        .identity(new app.parley.session.Identity(
                                "Late", java.util.UUID.randomUUID().toString()))
                        .build());
    }

    private ConversationLine lastLine() {
        return model.conversation().isEmpty()
                ? ConversationLine.notice("")
                : model.conversation().get(model.conversation().size() - 1);
    }

    /** Runs queued UI work until the condition holds; fails after the standard wait. */
    private void pumpUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RawClient.WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met; conversation: " + model.conversation());
            }
            Runnable work = uiQueue.poll(50, TimeUnit.MILLISECONDS);
            if (work != null) {
                work.run();
            }
        }
    }
}
