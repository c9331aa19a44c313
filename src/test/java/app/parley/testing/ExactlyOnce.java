package app.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The fault tests' ledger: each chatter sends {@code roomMessages} to the room and
 * {@code directMessages} to each other chatter, shuffled, numbered per place ({@code Ann>ops#3},
 * {@code Ann>Bob#2}); at the end each must have had every message meant for it exactly once, in
 * each sender's order, and nothing else.
 */
public final class ExactlyOnce {
    private final String room;
    private final int roomMessages;
    private final int directMessages;

    /** One send of a plan: to the room, or to the chatter named {@code to}; {@code text} says which and its number. */
    public record Send(String to, boolean toRoom, String text) {}

    public ExactlyOnce(String room, int roomMessages, int directMessages) {
        this.room = room;
        this.roomMessages = roomMessages;
        this.directMessages = directMessages;
    }

    /** What {@code sender} sends, in a shuffled order {@code random} decides. */
    public List<Send> plan(String sender, List<String> everyone, Random random) {
        List<String> places = new ArrayList<>();
        for (int i = 0; i < roomMessages; i++) {
            places.add(room);
        }
        for (String other : everyone) {
            if (!other.equals(sender)) {
                for (int i = 0; i < directMessages; i++) {
                    places.add(other);
                }
            }
        }
        java.util.Collections.shuffle(places, random);
        Map<String, Integer> counters = new HashMap<>();
        List<Send> sends = new ArrayList<>();
        for (String to : places) {
            int n = counters.merge(to, 1, Integer::sum);
            sends.add(new Send(to, to.equals(room), sender + ">" + to + "#" + n));
        }
        return sends;
    }

    /** How many sends each of {@code chatters} makes. */
    public int sendsEach(int chatters) {
        return roomMessages + (chatters - 1) * directMessages;
    }

    /** How many messages each of {@code chatters} should receive. */
    public int receivedEach(int chatters) {
        return (chatters - 1) * (roomMessages + directMessages);
    }

    /** Each sender's room and direct messages to {@code receiver}, once, in order; nothing meant for others. */
    public void assertReceived(
            String receiver, Collection<ChatMessage> received, List<String> everyone, UnaryOperator<String> why) {
        Map<String, List<Integer>> bySenderAndPlace = new HashMap<>();
        for (ChatMessage message : received) {
            String text = message.text();
            String sender = text.substring(0, text.indexOf('>'));
            String to = text.substring(text.indexOf('>') + 1, text.indexOf('#'));
            assertThat(to).as(why.apply(receiver + " got " + text)).isIn(room, receiver);
            assertThat(message.kind())
                    .as(why.apply(text))
                    .isEqualTo(to.equals(room) ? MessageKind.ROOM : MessageKind.DIRECT);
            bySenderAndPlace
                    .computeIfAbsent(sender + ">" + to, k -> new ArrayList<>())
                    .add(Integer.parseInt(text.substring(text.indexOf('#') + 1)));
        }
        for (String sender : everyone) {
            if (!sender.equals(receiver)) {
                assertThat(bySenderAndPlace.get(sender + ">" + room))
                        .as(why.apply(receiver + " from " + sender + " in #" + room))
                        .containsExactlyElementsOf(range(roomMessages));
                assertThat(bySenderAndPlace.get(sender + ">" + receiver))
                        .as(why.apply(receiver + " directly from " + sender))
                        .containsExactlyElementsOf(range(directMessages));
            }
        }
    }

    /** What {@code receiver} should have got and has not, for a failure message. */
    public List<String> missing(String receiver, Collection<ChatMessage> received, List<String> everyone) {
        Set<String> got = new HashSet<>();
        received.forEach(m -> got.add(m.text()));
        List<String> missing = new ArrayList<>();
        for (String sender : everyone) {
            if (!sender.equals(receiver)) {
                range(roomMessages).forEach(n -> missing.add(sender + ">" + room + "#" + n));
                range(directMessages).forEach(n -> missing.add(sender + ">" + receiver + "#" + n));
            }
        }
        missing.removeIf(got::contains);
        return missing;
    }

    private static List<Integer> range(int count) {
        return IntStream.rangeClosed(1, count).boxed().toList();
    }
}
