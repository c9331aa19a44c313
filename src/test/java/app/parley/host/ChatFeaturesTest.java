package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.join.ClientConnection;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.Target;
import app.parley.protocol.WireCodec.HistoryPage;
import app.parley.session.Identity;
import app.parley.session.SessionEvent.Connected;
import app.parley.session.SessionEvent.MessageReceived;
import app.parley.session.SessionEvent.PeersChanged;
import app.parley.session.SessionEvent.RoomMembersChanged;
import app.parley.session.SessionEvent.TypingChanged;
import app.parley.testing.EventLog;
import app.parley.testing.RawClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat people expect (#5), over loopback with the real host, the real client and a real
 * SQLite file: names, presence per host and per room, typing, history and its paging, direct
 * message privacy, and history that survives a restart.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ChatFeaturesTest {
    @TempDir
    Path dir;

    private HostServer host;
    private int port;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A person: their connection, what it heard, and their socket id. */
    private record Person(ClientConnection connection, EventLog events, String id) {
        String nameSeenBy(Person other) {
            return other.events()
                    .awaitEver(PeersChanged.class, p -> p.names().containsKey(id))
                    .names()
                    .get(id);
        }
    }

    @BeforeEach
    void start() {
        startHost();
    }

    private void startHost() {
        // Generous rates: these tests send a few hundred messages on purpose.
        host = new HostServer(HostConfig.loopback(Set.of())
                .withChatRate(new HostConfig.ChatRate(1000, 1000))
                .withHistory(dir.resolve("history.db")));
        port = host.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        host.close();
    }

    private Person join(String name) {
        ClientConnection connection = new ClientConnection(
                URI.create("http://127.0.0.1:" + port),
                ClientConnection.Options.builder()
                        .identity(new Identity(name, UUID.randomUUID().toString()))
                        .build());
        toClose.add(connection);
        EventLog events = new EventLog();
        connection.addListener(events);
        connection.open();
        String id = events.await(Connected.class).socketId();
        events.awaitEver(PeersChanged.class, p -> p.peers().contains(id));
        return new Person(connection, events, id);
    }

    private RawClient raw() {
        RawClient client = RawClient.connect(port);
        toClose.add(client);
        return client;
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(EventLog.WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(EventLog.WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a refusal");
    }

    private static String refusal(Object[] ack) {
        return ((JSONObject) ack[0]).getString("error");
    }

    @Test
    void namesAreUniqueIgnoringCaseAndUnicodeFormAndATakenNameGetsAVariant() throws Exception {
        Person ann = join("Ann");
        Person other = join("ANN");
        Person zoe = join("Zo\u00e9"); // é as one code point

        assertThat(ann.nameSeenBy(zoe)).isEqualTo("Ann");
        assertThat(other.nameSeenBy(zoe)).isEqualTo("ANN 2");
        assertThat(failure(other.connection().rename("ann"))).hasMessageContaining("taken");
        // e + combining acute is the same name after NFC
        assertThat(failure(other.connection().rename("Zoe\u0301"))).hasMessageContaining("taken");
        assertThat(done(other.connection().rename("Bob"))).isEqualTo("Bob");
        assertThat(zoe.events()
                        .await(PeersChanged.class, p -> "Bob".equals(p.names().get(other.id()))))
                .isNotNull();
        // Ann's old spelling is free once its holder renamed
        assertThat(done(ann.connection().rename("ANNA"))).isEqualTo("ANNA");
        assertThat(done(zoe.connection().rename("Ann"))).isEqualTo("Ann");
    }

    @Test
    void theHostRefusesInvisibleAndOversizedNamesWithAReasonAndKeepsTheOldOne() throws Exception {
        Person watcher = join("Watcher");
        RawClient mallory = raw();
        String id = mallory.awaitId();
        assertThat(mallory.request(ChatEvents.SET_NAME, "Mallory")[0].toString())
                .contains("\"ok\":true");
        watcher.events()
                .awaitEver(PeersChanged.class, p -> "Mallory".equals(p.names().get(id)));

        assertThat(refusal(mallory.request(ChatEvents.SET_NAME, "\u202Eynnam"))).contains("bidi");
        assertThat(refusal(mallory.request(ChatEvents.SET_NAME, "Ann\u200B"))).contains("zero-width");
        assertThat(refusal(mallory.request(ChatEvents.SET_NAME, "x".repeat(10_000))))
                .contains("longer than 32");
        assertThat(refusal(mallory.request(ChatEvents.SET_NAME, 42))).contains("must be a string");
        assertThat(refusal(mallory.request(ChatEvents.SET_NAME, " Ann"))).contains("spaces");

        // Nothing changed: the name is still Mallory, and nobody heard of a rename.
        watcher.events()
                .next(
                        PeersChanged.class,
                        p -> p.names().containsKey(id)
                                && !"Mallory".equals(p.names().get(id)),
                        2 * Presence.BATCH_MILLIS)
                .ifPresent(p -> {
                    throw new AssertionError("a refused name was announced: " + p);
                });
        // The client refuses the same before sending.
        assertThat(failure(watcher.connection().rename("\u202Eynnam"))).hasMessageContaining("bidi");
    }

    @Test
    void roomPresenceFollowsJoinsLeavesAndDisconnects() throws Exception {
        Person ann = join("Ann");
        Person bob = join("Bob");
        done(ann.connection().joinRoom("design"));
        ann.events()
                .await(
                        RoomMembersChanged.class,
                        r -> r.room().equals("design") && r.members().equals(List.of(ann.id())));

        done(bob.connection().joinRoom("design"));
        ann.events().await(RoomMembersChanged.class, r -> r.members().containsAll(List.of(ann.id(), bob.id())));
        bob.events().await(RoomMembersChanged.class, r -> r.members().containsAll(List.of(ann.id(), bob.id())));

        done(bob.connection().leaveRoom("design"));
        ann.events().await(RoomMembersChanged.class, r -> r.members().equals(List.of(ann.id())));

        done(bob.connection().joinRoom("design"));
        ann.events().await(RoomMembersChanged.class, r -> r.members().contains(bob.id()));
        bob.connection().close();
        ann.events().await(RoomMembersChanged.class, r -> r.members().equals(List.of(ann.id())));
        ann.events().awaitEver(PeersChanged.class, p -> !p.peers().contains(bob.id()));
    }

    @Test
    void typingShowsWhereItHappensAndClearsOnTheMessageOrByItself() throws Exception {
        Person ann = join("Ann");
        Person bob = join("Bob");
        Person cat = join("Cat");
        done(ann.connection().joinRoom("design"));
        done(bob.connection().joinRoom("design"));
        Target design = new Target.Room("design");

        ann.connection().typing(design, true);
        assertThat(bob.events().await(TypingChanged.class).names()).containsExactly("Ann");
        assertThat(bob.events().all())
                .filteredOn(TypingChanged.class::isInstance)
                .allMatch(e -> ((TypingChanged) e).conversation().equals(design));
        done(ann.connection().send(design, "done typing"));
        assertThat(bob.events().await(TypingChanged.class).names()).isEmpty();

        // In a direct conversation, from Bob's side the conversation is Ann.
        ann.connection().typing(new Target.Direct(bob.id()), true);
        TypingChanged direct = bob.events().await(TypingChanged.class);
        assertThat(direct.conversation()).isEqualTo(new Target.Direct(ann.id()));
        assertThat(direct.names()).containsExactly("Ann");
        // Ann goes quiet: the line clears by itself.
        TypingChanged cleared = bob.events()
                .next(TypingChanged.class, t -> t.names().isEmpty(), 10_000)
                .orElseThrow(() -> new AssertionError("typing never cleared"));
        assertThat(cleared.conversation()).isEqualTo(new Target.Direct(ann.id()));
        // Cat is in neither conversation and heard none of it.
        cat.events().assertNone(TypingChanged.class);
        assertThat(cat.events().all()).noneMatch(TypingChanged.class::isInstance);
    }

    @Test
    void joinersPageARoomsHistoryBackToTheStart() throws Exception {
        Person ann = join("Ann");
        done(ann.connection().joinRoom("design"));
        for (int i = 1; i <= 120; i++) {
            done(ann.connection().send(new Target.Room("design"), "message " + i));
        }
        Person bob = join("Bob");
        assertThat(failure(bob.connection().history(new Target.Room("design"), Long.MAX_VALUE, 50)))
                .hasMessageContaining("join design");
        done(bob.connection().joinRoom("design"));

        HistoryPage latest = done(bob.connection().history(new Target.Room("design"), Long.MAX_VALUE, 50));
        assertThat(latest.more()).isTrue();
        assertThat(latest.messages()).extracting(ChatMessage::text).first().isEqualTo("message 71");
        assertThat(latest.messages()).extracting(ChatMessage::text).last().isEqualTo("message 120");
        assertThat(latest.messages())
                .allMatch(m -> "Ann".equals(m.name()) && !m.mine() && m.room().equals("design"));

        HistoryPage older = done(bob.connection()
                .history(new Target.Room("design"), latest.messages().get(0).seq(), 50));
        assertThat(older.messages()).extracting(ChatMessage::text).first().isEqualTo("message 21");
        HistoryPage first = done(bob.connection()
                .history(new Target.Room("design"), older.messages().get(0).seq(), 50));
        assertThat(first.more()).isFalse();
        assertThat(first.messages())
                .extracting(ChatMessage::seq)
                .containsExactly(
                        java.util.stream.LongStream.rangeClosed(1, 20).boxed().toArray(Long[]::new));

        HistoryPage own = done(ann.connection().history(new Target.Room("design"), Long.MAX_VALUE, 1));
        assertThat(own.messages()).singleElement().matches(ChatMessage::mine);
    }

    @Test
    void directMessagesAreStoredForTheirTwoParticipantsOnly() throws Exception {
        Person ann = join("Ann");
        Person bob = join("Bob");
        Person cat = join("Cat");
        done(ann.connection().send(new Target.Direct(bob.id()), "just between us"));
        assertThat(bob.events().await(MessageReceived.class).message().text()).isEqualTo("just between us");

        HistoryPage bobs = done(bob.connection().history(new Target.Direct(ann.id()), Long.MAX_VALUE, 50));
        assertThat(bobs.messages()).singleElement().matches(m -> m.text().equals("just between us") && !m.mine());
        HistoryPage anns = done(ann.connection().history(new Target.Direct(bob.id()), Long.MAX_VALUE, 50));
        assertThat(anns.messages()).singleElement().matches(ChatMessage::mine);

        // Cat can only ever name her own side of a conversation.
        assertThat(done(cat.connection().history(new Target.Direct(ann.id()), Long.MAX_VALUE, 50))
                        .messages())
                .isEmpty();
        assertThat(done(cat.connection().history(new Target.Direct(bob.id()), Long.MAX_VALUE, 50))
                        .messages())
                .isEmpty();
        assertThat(done(cat.connection().history(Target.EVERYONE, Long.MAX_VALUE, 50))
                        .messages())
                .isEmpty();
        assertThat(cat.events().all())
                .noneMatch(e ->
                        e instanceof MessageReceived m && m.message().text().equals("just between us"));
        RawClient snoop = raw();
        snoop.awaitId();
        assertThat(refusal(snoop.request(ChatEvents.HISTORY, new JSONObject().put("with", "@" + ann.id()))))
                .contains("nobody with id");
        assertThat(refusal(snoop.request(
                        ChatEvents.HISTORY,
                        new JSONObject().put("room", "design").put("with", ann.id()))))
                .contains("not both");
        assertThat(refusal(snoop.request(ChatEvents.HISTORY, new JSONObject().put("limit", -1))))
                .contains("limit");

        // Writing to someone who has left: Parley's client addresses the person (their user), so
        // it is stored for when they are back; a bare socket id that is gone is refused, not
        // stored for nobody.
        ann.events().awaitEver(PeersChanged.class, p -> p.users().containsKey(cat.id()));
        cat.connection().close();
        ann.events().awaitEver(PeersChanged.class, p -> !p.peers().contains(cat.id()));
        done(ann.connection().send(new Target.Direct(cat.id()), "for when you are back"));
        assertThat(refusal(snoop.request(ChatEvents.SEND_MESSAGE, "still there?", cat.id())))
                .contains("nobody with id " + cat.id() + " is connected");
    }

    @Test
    void historySurvivesAHostRestartOnTheSameFile() throws Exception {
        Person ann = join("Ann");
        done(ann.connection().send(Target.EVERYONE, "said before the restart"));
        done(host.announce("The host restarts now"));
        ann.connection().close();
        host.close();

        startHost();
        Person bob = join("Bob");
        HistoryPage page = done(bob.connection().history(Target.EVERYONE, Long.MAX_VALUE, 50));
        assertThat(page.messages())
                .extracting(ChatMessage::text)
                .containsExactly("said before the restart", "The host restarts now");
        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L);
        assertThat(page.messages().get(0).name()).isEqualTo("Ann");
        // Numbering carries on where it stopped.
        assertThat(done(host.announce("Back")).seq()).isEqualTo(3);
    }

    @Test
    void someoneIsAnnouncedBeforeTheirFirstMessageIsHeard() throws Exception {
        Person grace = join("Grace");
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        grace.connection().addListener(event -> {
            if (event instanceof PeersChanged peers) {
                heard.add("present " + String.join(" ", peers.peers()));
            } else if (event instanceof MessageReceived received) {
                heard.add("message from " + received.message().from());
            }
        });
        RawClient ann = raw();
        String annId = ann.awaitId();
        ann.socket().emit("send-message", "hello, straight after connecting", "");

        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EventLog.WAIT_MILLIS);
        while (!heard.contains("message from " + annId) && System.nanoTime() < until) {
            Thread.sleep(10); // this listener runs after the others of the same event
        }
        int arrived = -1;
        for (int i = 0; i < heard.size() && arrived < 0; i++) {
            if (heard.get(i).startsWith("present ") && heard.get(i).contains(annId)) {
                arrived = i;
            }
        }
        assertThat(arrived)
                .as("Ann's arrival was announced: " + heard)
                .isNotNegative()
                .isLessThan(heard.indexOf("message from " + annId));
    }
}
