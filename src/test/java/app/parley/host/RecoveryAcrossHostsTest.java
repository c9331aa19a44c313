package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a host makes of a session another host kept (docs/PROTOCOL.md §16.1): the client's offset
 * must be one it was sent, and lowers the seqs to just before every message after it; anything in
 * the stream this version cannot read is skipped without harm; a session is taken once. The whole
 * path, two hosts on Redis and PostgreSQL with the real Node client, is {@code
 * RecoveryInteropTest#onAnotherHostOfTheCluster}.
 */
class RecoveryAcrossHostsTest {
    private static final String KEY = RecoveryAcrossHosts.keyOf("a-secret-pid");

    /** Reads only what other hosts said: no bus, order or log of its own needed. */
    private final List<String> forgotten = new ArrayList<>();

    private final RecoveryAcrossHosts hosts =
            new RecoveryAcrossHosts(null, null, null, Duration.ofMinutes(2).toNanos(), forgotten::add);

    /** A session of user s:x, started at 10, kept for a second. */
    private static Recovery.Kept kept(List<String> rooms, long lastSent, boolean strict) {
        return new Recovery.Kept(
                UUID.randomUUID(),
                null,
                "",
                "s:x",
                null,
                rooms,
                10,
                lastSent,
                lastSent,
                strict,
                System.nanoTime() + 1_000_000_000L);
    }

    private static RecoveryAcrossHosts.Portable portable(boolean whole) {
        Recovery.Kept kept = kept(List.of("a"), 20, false);
        return new RecoveryAcrossHosts.Portable(
                kept,
                0,
                Map.of("*", 9L, "#a", 6L),
                List.of(
                        new RoutedLog.Entry(12, "#a", 5),
                        new RoutedLog.Entry(15, "*", 7),
                        new RoutedLog.Entry(20, "#a", 6)),
                whole,
                kept.deadlineNanos());
    }

    @Test
    void theOffsetLowersEachConversationToJustBeforeWhatCameAfterIt() {
        RecoveryAcrossHosts.Portable p = portable(true);
        assertThat(p.reachedAt("20")).isEqualTo(Map.of("*", 9L, "#a", 6L));
        assertThat(p.reachedAt("15")).isEqualTo(Map.of("*", 9L, "#a", 5L));
        assertThat(p.reachedAt("12")).isEqualTo(Map.of("*", 6L, "#a", 5L));
        // Nothing received since it started: everything in the tail was missed.
        assertThat(p.reachedAt(null)).isEqualTo(Map.of("*", 6L, "#a", 4L));
        assertThat(p.reachedAt("10")).isEqualTo(Map.of("*", 6L, "#a", 4L));
    }

    @Test
    void anOffsetItWasNeverSentIsNotItsOwn() {
        RecoveryAcrossHosts.Portable p = portable(true);
        assertThat(p.reachedAt("13")).isNull(); // routed, not to it
        assertThat(p.reachedAt("21")).isNull(); // past the last it was sent
        assertThat(p.reachedAt("x1")).isNull();
        assertThat(p.reachedAt(12)).isNull(); // a number, not the string Socket.IO sends
        assertThat(p.reachedAt("1".repeat(19))).isNull();
        // A tail that does not reach back to its start cannot say what came before it.
        assertThat(portable(false).reachedAt(null)).isNull();
        assertThat(portable(false).reachedAt("10")).isNull();
        assertThat(portable(false).reachedAt("12")).isNotNull();
    }

    @Test
    void aSocketSentNothingSinceItStartedIsNamedByWhereItStarted() {
        // lastSent "0" (the offset before any message) is older than where it started hearing.
        Recovery.Kept kept = kept(List.of(), 0, false);
        RecoveryAcrossHosts.Portable quiet =
                new RecoveryAcrossHosts.Portable(kept, 0, Map.of("*", 3L), List.of(), true, kept.deadlineNanos());
        assertThat(quiet.reachedAt(null)).isEqualTo(Map.of("*", 3L));
        assertThat(quiet.reachedAt("0")).isEqualTo(Map.of("*", 3L));
        assertThat(quiet.reachedAt("11")).isNull();
    }

    @Test
    void aSocketThatRecoveredFromAnotherHostIsNamedOnlyPastWhereItWentLive() {
        // Its replay carried one offset for everything it sent: an offset before going live says
        // nothing of how much of the replay arrived.
        Recovery.Kept kept = kept(List.of("a"), 20, true);
        RecoveryAcrossHosts.Portable moved = new RecoveryAcrossHosts.Portable(
                kept, 0, Map.of("#a", 6L), List.of(new RoutedLog.Entry(20, "#a", 6)), true, kept.deadlineNanos());
        assertThat(moved.reachedAt("8")).isNull();
        assertThat(moved.reachedAt("10")).isNull(); // its replay's offset can be its start itself
        assertThat(moved.reachedAt(null)).isNull();
        assertThat(moved.reachedAt("20")).isEqualTo(Map.of("#a", 6L));
    }

    private static Map<String, Object> kept(String key) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("op", "kept");
        what.put("key", key);
        what.put("id", UUID.randomUUID().toString());
        what.put("nsp", "");
        what.put("user", "s:x");
        what.put("name", "Ann");
        what.put("rooms", List.of("a"));
        what.put("start", 10);
        what.put("lastSent", 20);
        what.put("at", 1L);
        what.put("ttl", 60_000);
        what.put("cut", Map.of("*", 9, "#a", 6));
        what.put("tail", List.of(List.of(12, "#a", 5), List.of(20, "#a", 6)));
        what.put("whole", true);
        return what;
    }

    @Test
    void aSessionFromAnotherHostIsTakenOnceAndForgottenWhenTakenElsewhere() {
        Map<String, Object> said = kept(KEY);
        hosts.heard("other", said);
        assertThat(hosts.othersCount()).isEqualTo(1);
        UUID id = UUID.fromString((String) said.get("id"));
        assertThat(hosts.awayUser(id)).contains("s:x"); // a direct message to it is kept for it
        assertThat(hosts.awayUser(UUID.randomUUID())).isEmpty();
        RecoveryAcrossHosts.Portable p = hosts.take(KEY);
        assertThat(p).isNotNull();
        assertThat(hosts.awayUser(id)).isEmpty();
        hosts.putBack(KEY, p); // a CONNECT that could not have it: kept for its own client
        assertThat(hosts.take(KEY)).isSameAs(p);
        assertThat(p.kept().rooms()).containsExactly("a");
        assertThat(p.reachedAt("12")).isEqualTo(Map.of("*", 9L, "#a", 5L));
        assertThat(hosts.take(KEY)).isNull();

        hosts.heard("other", kept(KEY));
        hosts.heard("third", Map.of("op", "taken", "key", KEY));
        assertThat(hosts.take(KEY)).isNull();
        assertThat(forgotten).containsExactly(KEY); // this host's own copy, if it kept one, goes too
    }

    @Test
    void aSessionPastItsWindowIsNotGiven() {
        Map<String, Object> expired = kept(KEY);
        expired.put("ttl", 0);
        hosts.heard("other", expired);
        assertThat(hosts.take(KEY)).isNull();
    }

    @Test
    void whatThisVersionCannotReadIsSkipped() {
        List<Object> bad = new ArrayList<>();
        bad.add("not a map");
        bad.add(null);
        bad.add(Map.of("op", "kept"));
        bad.add(Map.of("op", "kept", "key", "not-a-digest"));
        bad.add(Map.of("op", "dance", "key", KEY));
        Map<String, Object> wrongType = kept(KEY);
        wrongType.put("start", "ten");
        bad.add(wrongType);
        Map<String, Object> badId = kept(KEY);
        badId.put("id", "nobody");
        bad.add(badId);
        Map<String, Object> longTail = kept(KEY);
        List<Object> tail = new ArrayList<>();
        for (int i = 0; i <= RecoveryAcrossHosts.TAIL; i++) {
            tail.add(List.of(i, "*", i));
        }
        longTail.put("tail", tail);
        bad.add(longTail);
        Map<String, Object> shortEntry = kept(KEY);
        shortEntry.put("tail", List.of(List.of(12)));
        bad.add(shortEntry);
        Map<String, Object> nullConversation = kept(KEY);
        List<Object> entry = new ArrayList<>();
        entry.add(12);
        entry.add(null);
        entry.add(5);
        nullConversation.put("tail", List.of(entry));
        bad.add(nullConversation);
        Map<String, Object> socketRoom = kept(KEY);
        socketRoom.put("rooms", List.of(UUID.randomUUID().toString())); // another socket's own room
        bad.add(socketRoom);
        Map<String, Object> noCut = kept(KEY);
        noCut.remove("cut");
        bad.add(noCut);
        for (Object said : bad) {
            hosts.heard("other", said);
        }
        assertThat(hosts.othersCount()).isZero();
        assertThat(forgotten).isEmpty();
    }
}
