package app.parley.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.Target;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A history page meeting what the conversation already shows. */
class ConversationHistoryTest {
    private static ChatMessage mine(String id, long seq, String cid, String text) {
        return new ChatMessage(text, "me", MessageKind.EVERYONE, null, Instant.now(), id, "Me", seq, true, "*", "u:me", cid);
    }

    private static ConversationLine line(String text) {
        return new ConversationLine(Instant.now(), "You", "everyone", text, ConversationLine.Kind.OWN, "delivered");
    }

    @Test
    void anOwnMessageShownSinceItWasSentIsNotShownAgainFromAHistoryPage() {
        Conversation conversation = new Conversation(Target.EVERYONE, "Everyone");
        conversation.lines().add(line("hello")); // shown as sending, before the host gave it an id
        conversation.showingOwn("cid-1");

        conversation.prepend(List.of(line("earlier"), line("hello")),
                List.of(mine("id-0", 1, "cid-0", "earlier"), mine("id-1", 2, "cid-1", "hello")), false);

        assertThat(conversation.lines()).extracting(ConversationLine::text).containsExactly("earlier", "hello");
        assertThat(conversation.oldestSeq()).isEqualTo(1);
    }
}
