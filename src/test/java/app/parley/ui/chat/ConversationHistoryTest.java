package app.parley.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import app.parley.ui.lines.ConversationLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A history page meeting what the conversation already shows. */
class ConversationHistoryTest {
    private static ChatMessage mine(String id, long seq, String cid, String text) {
        return new ChatMessage(
                text, "me", MessageKind.EVERYONE, null, Instant.now(), id, "Me", seq, true, "*", "u:me", cid);
    }

    private static ConversationLine line(String text) {
        return new ConversationLine(Instant.now(), "You", "everyone", text, ConversationLine.Kind.OWN, "delivered");
    }

    @Test
    void anOwnMessageShownSinceItWasSentIsNotShownAgainFromAHistoryPage() {
        Conversation conversation = new Conversation(Target.EVERYONE, "Everyone");
        conversation.lines().add(line("hello")); // shown as sending, before the host gave it an id
        conversation.showingOwn("cid-1");

        conversation.prepend(
                List.of(line("earlier"), line("hello")),
                List.of(mine("id-0", 1, "cid-0", "earlier"), mine("id-1", 2, "cid-1", "hello")),
                false);

        assertThat(conversation.lines()).extracting(ConversationLine::text).containsExactly("earlier", "hello");
        assertThat(conversation.oldestSeq()).isEqualTo(1);
    }

    private static ChatMessage theirs(String id, long seq, String text) {
        return new ChatMessage(
                text,
                "ann-socket",
                MessageKind.EVERYONE,
                null,
                Instant.now(),
                id,
                "Ann",
                seq,
                false,
                "*",
                "u:ann",
                null);
    }

    @Test
    void aMessageShownLiveIsNotShownAgainFromAHistoryPageWhateverItsIdLooksLike() {
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        Conversation conversation = new Conversation(Target.EVERYONE, "Everyone");
        conversation.append(
                List.of(line("a uuid"), line("a tutorial id")),
                java.util.Arrays.asList(theirs(uuid, 5, "a uuid"), theirs("m-17", 6, "a tutorial id")));

        // The same two again, in an older page, and one the window has not shown: a UUID spelled in capitals is
        // another id (ids are compared as the host wrote them), so it shows.
        conversation.prepend(
                List.of(line("capitals"), line("older"), line("a uuid"), line("a tutorial id")),
                List.of(
                        theirs(uuid.toUpperCase(java.util.Locale.ROOT), 3, "capitals"), theirs("m-3", 4, "older"),
                        theirs(uuid, 5, "a uuid"), theirs("m-17", 6, "a tutorial id")),
                false);

        assertThat(conversation.lines())
                .extracting(ConversationLine::text)
                .containsExactly("capitals", "older", "a uuid", "a tutorial id");
    }
}
