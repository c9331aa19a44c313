package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} must do, run against each: SQLite ({@link SqliteMessageStoreTest})
 * and PostgreSQL ({@link PostgresMessageStoreTest}). A subclass names a fresh place per test and
 * opens a store there, as often as a test reopens it.
 */
abstract class MessageStoreContract {
    MessageStore store;

    /** A new, empty place for this test's history. */
    abstract void freshLocation() throws Exception;

    /** A store over this test's place (a second call opens it again). */
    abstract MessageStore openStore();

    @BeforeEach
    void openFresh() throws Exception {
        freshLocation();
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static NewMessage message(String conversation, String senderUser, String clientId, String text) {
        return new NewMessage(
                conversation,
                UUID.randomUUID().toString(),
                senderUser,
                clientId,
                "sock-1",
                "Ann",
                "room",
                conversation.substring(1),
                text,
                Instant.ofEpochMilli(1_700_000_000_123L));
    }

    static NewMessage message(String conversation, String text) {
        return message(conversation, "ann", null, text);
    }

    static List<Long> seqs(List<StoredMessage> stored) {
        return stored.stream().map(StoredMessage::seq).toList();
    }

    void appendTexts(String conversation, int count) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            batch.add(message(conversation, "m" + i));
        }
        store.append(batch);
    }

    @Test
    void sequencesStartAtOnePerConversation() {
        List<StoredMessage> stored = store.append(
                List.of(message("#a", "1"), message("#b", "1"), message("#a", "2"), message("@ann bob", "1")));

        assertThat(seqs(stored)).containsExactly(1L, 1L, 2L, 1L);
        assertThat(seqs(store.append(List.of(message("#b", "2"))))).containsExactly(2L);
        assertThat(store.latestSeq("#a")).isEqualTo(2);
        assertThat(store.latestSeq("#b")).isEqualTo(2);
        assertThat(store.latestSeq("#empty")).isZero();
        assertThat(store.after("#a", 0, 10)).extracting(s -> s.message().text()).containsExactly("1", "2");
        assertThat(store.append(List.of())).isEmpty();
    }

    @Test
    void beforePagesBackToTheFirstMessage() {
        appendTexts("#a", 7);
        appendTexts("#b", 3);

        assertThat(seqs(store.before("#a", Long.MAX_VALUE, 3))).containsExactly(5L, 6L, 7L);
        assertThat(seqs(store.before("#a", 5, 3))).containsExactly(2L, 3L, 4L);
        assertThat(seqs(store.before("#a", 2, 3))).containsExactly(1L);
        assertThat(store.before("#a", 1, 3)).isEmpty();
        assertThat(store.before("#a", Long.MAX_VALUE, 1).get(0).message().text())
                .isEqualTo("m7");
        assertThat(store.before("#a", Long.MAX_VALUE, 0)).hasSize(1); // limit clamped up to 1
    }

    @Test
    void afterReturnsOnlyNewerInOrder() {
        appendTexts("#a", 5);

        assertThat(seqs(store.after("#a", 2, 10))).containsExactly(3L, 4L, 5L);
        assertThat(seqs(store.after("#a", 2, 2))).containsExactly(3L, 4L);
        assertThat(store.after("#a", 5, 10)).isEmpty();
        assertThat(store.after("#other", 0, 10)).isEmpty();
    }

    @Test
    void aResentMessageReturnsTheEarlierRecord() {
        StoredMessage first =
                store.append(List.of(message("#a", "ann", "c1", "hello"))).get(0);

        List<StoredMessage> again = store.append(List.of(
                message("#a", "ann", "c1", "hello"),
                message("#a", "bob", "c1", "same client id, other user"),
                message("#a", "bob", "c2", "new"),
                message("#a", "bob", "c2", "resent in the same batch")));

        assertThat(again.get(0)).isEqualTo(first);
        assertThat(seqs(again)).containsExactly(1L, 2L, 3L, 3L);
        assertThat(again.get(3)).isEqualTo(again.get(2));
        assertThat(store.latestSeq("#a")).isEqualTo(3);
        assertThat(store.after("#a", 0, 10)).containsExactly(first, again.get(1), again.get(2));
    }

    @Test
    void noClientIdNeverDedupes() {
        NewMessage withoutClientId = message("#a", "ann", null, "twice");
        NewMessage announcement =
                new NewMessage("*", "id-x", null, "c1", null, null, "announcement", null, "joined", Instant.EPOCH);

        assertThat(seqs(store.append(List.of(withoutClientId, message("#a", "ann", null, "twice")))))
                .containsExactly(1L, 2L);
        assertThat(seqs(store.append(List.of(
                        announcement,
                        new NewMessage(
                                "*", "id-y", null, "c1", null, null, "announcement", null, "joined", Instant.EPOCH)))))
                .containsExactly(1L, 2L);
    }

    @Test
    void historyAndSequencesSurviveReopening() {
        appendTexts("#a", 3);
        List<StoredMessage> before = store.after("#a", 0, 10);
        StoredMessage deduped =
                store.append(List.of(message("#a", "ann", "c1", "x"))).get(0);
        store.close();

        store = openStore();

        assertThat(store.after("#a", 0, 3)).isEqualTo(before);
        assertThat(store.latestSeq("#a")).isEqualTo(4);
        assertThat(store.append(List.of(message("#a", "ann", "c1", "x"))).get(0))
                .isEqualTo(deduped);
        assertThat(seqs(store.append(List.of(message("#a", "after reopen"))))).containsExactly(5L);
    }

    @Test
    void aStoredMessageIsFoundByIdWithItsFileAndTimeToTheMillisecond() {
        NewMessage withFile = new NewMessage(
                "#files",
                "id-file",
                "ann",
                "c9",
                "sock-1",
                "Ann",
                "room",
                "files",
                "report.pdf",
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                "{\"name\":\"report.pdf\",\"size\":1024}");

        StoredMessage stored = store.append(List.of(withFile)).get(0);

        assertThat(stored.message().time()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(store.byId("id-file")).contains(stored);
        assertThat(store.byId("id-file").orElseThrow().message().file()).isEqualTo(withFile.file());
        assertThat(store.byId("no-such-id")).isEmpty();
        assertThat(store.after("#files", 0, 10)).containsExactly(stored);
    }

    @Test
    void roomMembershipsAreKeptAcrossReopening() {
        store.setMember("u:ann", "design", true);
        store.setMember("u:ann", "ops", true);
        store.setMember("u:ann", "ops", true); // twice is once
        store.setMember("u:bob", "design", true);
        store.setMember("u:ann", "design", false);
        store.setMember("u:ann", "never-joined", false);
        store.sync();
        store.close();

        store = openStore();

        assertThat(store.roomsOf("u:ann")).containsExactly("ops");
        assertThat(store.roomsOf("u:bob")).containsExactly("design");
        assertThat(store.roomsOf("u:nobody")).isEmpty();
    }

    @Test
    void aBatchOfTenThousandCompletes() {
        appendTexts("*", 10_000);

        assertThat(store.latestSeq("*")).isEqualTo(10_000);
        assertThat(seqs(store.before("*", Long.MAX_VALUE, 1000))).hasSize(500).endsWith(10_000L);
    }

    @Test
    void listsTheConversationsWithAPrefix() {
        for (String conversation : List.of("@u:a u:b", "@u:a u:c", "#design", "*", "@u:a u:b", "#50%_off")) {
            store.append(List.of(new NewMessage(
                    conversation,
                    UUID.randomUUID().toString(),
                    "u:a",
                    null,
                    null,
                    null,
                    "direct",
                    null,
                    "hi",
                    Instant.now())));
        }
        assertThat(store.conversations("@")).containsExactlyInAnyOrder("@u:a u:b", "@u:a u:c");
        assertThat(store.conversations("#")).containsExactlyInAnyOrder("#design", "#50%_off");
        assertThat(store.conversations("#50%")).containsExactly("#50%_off");
        assertThat(store.conversations("%")).isEmpty();
        assertThat(store.conversations("_")).isEmpty();
    }

    @Test
    void aClosedStoreRefusesWithAReason() {
        store.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.append(List.of(message("#a", "late"))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        store = null;
    }
}
