package app.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of {@link PostgresMessageStore} and the steps that make them, one version each. A
 * database records in {@code schema_version} which steps it has had; opening runs the missing
 * ones in one transaction (PostgreSQL's DDL is transactional, so a failed migration leaves the
 * database as it was), under an advisory lock so that hosts starting together migrate it once.
 * A database a newer Parley migrated is refused rather than misread.
 *
 * <p>Add a step at the end, never change one that was released: databases out there already had it.
 */
final class PostgresSchema {
    /** "PRLY" and "SCHM": the advisory lock every Parley host takes while it migrates. */
    private static final long MIGRATION_LOCK = 0x50524C59_5343484DL;

    /**
     * Stores a batch (parallel arrays, one element a message) and answers one row a message,
     * {@code o_idx} its 1-based place in the batch. A message whose id, or whose (sender user,
     * client id), is stored already is not stored again: its row answers with {@code o_earlier}
     * and the stored copy's columns, so a call repeated after a lost answer stores nothing twice.
     * The new ones are numbered in batch order after their conversations' rows, raised in one
     * statement in key order (so two hosts' batches never wait on each other in a circle).
     */
    private static final String APPEND_FUNCTION = """
            CREATE FUNCTION parley_append(p_conversation text[], p_id text[], p_user text[], p_client text[],
                p_sender text[], p_name text[], p_kind text[], p_room text[], p_text text[], p_time bigint[],
                p_file text[])
            RETURNS TABLE (o_idx integer, o_earlier boolean, o_seq bigint, o_conversation text, o_id text,
                o_user text, o_client text, o_sender text, o_name text, o_kind text, o_room text, o_text text,
                o_time bigint, o_file text)
            LANGUAGE plpgsql AS $fn$
            DECLARE
                n integer := coalesce(array_length(p_id, 1), 0);
                fresh boolean[] := array_fill(false, ARRAY[n]);
                counts jsonb;
                next_seq jsonb := '{}';
                m messages%ROWTYPE;
                r record;
                s bigint;
            BEGIN
                FOR k IN 1 .. n LOOP
                    SELECT * INTO m FROM messages WHERE id = p_id[k];
                    IF NOT FOUND AND p_user[k] IS NOT NULL AND p_client[k] IS NOT NULL THEN
                        SELECT * INTO m FROM messages
                            WHERE sender_user = p_user[k] AND client_id = p_client[k] AND client_id IS NOT NULL;
                    END IF;
                    IF FOUND THEN
                        o_idx := k; o_earlier := true; o_seq := m.seq; o_conversation := m.conversation;
                        o_id := m.id; o_user := m.sender_user; o_client := m.client_id; o_sender := m.sender_id;
                        o_name := m.sender_name; o_kind := m.kind; o_room := m.room; o_text := m.text;
                        o_time := m.time_ms; o_file := m.file;
                        RETURN NEXT;
                    ELSE
                        fresh[k] := true;
                    END IF;
                END LOOP;
                SELECT coalesce(jsonb_object_agg(c, cnt), '{}') INTO counts
                    FROM (SELECT p_conversation[k] AS c, count(*) AS cnt
                          FROM generate_subscripts(p_id, 1) AS k WHERE fresh[k] GROUP BY 1) AS t;
                FOR r IN INSERT INTO conversations AS c (conversation, latest_seq)
                        SELECT key, value::bigint FROM jsonb_each_text(counts) ORDER BY key
                        ON CONFLICT (conversation) DO UPDATE SET latest_seq = c.latest_seq + excluded.latest_seq
                        RETURNING c.conversation AS cv, c.latest_seq AS latest LOOP
                    next_seq := next_seq || jsonb_build_object(r.cv, r.latest - (counts ->> r.cv)::bigint + 1);
                END LOOP;
                o_earlier := false; o_conversation := NULL; o_id := NULL; o_user := NULL; o_client := NULL;
                o_sender := NULL; o_name := NULL; o_kind := NULL; o_room := NULL; o_text := NULL;
                o_time := NULL; o_file := NULL;
                FOR k IN 1 .. n LOOP
                    IF fresh[k] THEN
                        s := (next_seq ->> p_conversation[k])::bigint;
                        next_seq := next_seq || jsonb_build_object(p_conversation[k], s + 1);
                        INSERT INTO messages (seq, conversation, id, sender_user, client_id, sender_id, sender_name,
                                kind, room, text, time_ms, file)
                            VALUES (s, p_conversation[k], p_id[k], p_user[k], p_client[k], p_sender[k], p_name[k],
                                p_kind[k], p_room[k], p_text[k], p_time[k], p_file[k]);
                        o_idx := k; o_seq := s;
                        RETURN NEXT;
                    END IF;
                END LOOP;
            END
            $fn$""";

    /**
     * {@link #APPEND_FUNCTION}, then, with {@code o_idx} 0, the messages of the given
     * conversations stored after the given seqs and before the batch's own: what another host of a
     * cluster stored just before, which the caller may not have had yet (at most 64 a conversation,
     * oldest first). Where the batch stored something new it holds the conversation's row until
     * the commit, so every seq under its first is committed and visible here.
     */
    private static final String APPEND_AFTER_FUNCTION = """
            CREATE FUNCTION parley_append_after(p_conversation text[], p_id text[], p_user text[],
                p_client text[], p_sender text[], p_name text[], p_kind text[], p_room text[], p_text text[],
                p_time bigint[], p_file text[], p_known_conversation text[], p_known_seq bigint[])
            RETURNS TABLE (o_idx integer, o_earlier boolean, o_seq bigint, o_conversation text, o_id text,
                o_user text, o_client text, o_sender text, o_name text, o_kind text, o_room text, o_text text,
                o_time bigint, o_file text)
            LANGUAGE plpgsql AS $fn$
            DECLARE
                r record;
                first_new jsonb := '{}';
                below bigint;
            BEGIN
                FOR r IN SELECT * FROM parley_append(p_conversation, p_id, p_user, p_client, p_sender, p_name,
                        p_kind, p_room, p_text, p_time, p_file) LOOP
                    o_idx := r.o_idx; o_earlier := r.o_earlier; o_seq := r.o_seq;
                    o_conversation := r.o_conversation; o_id := r.o_id; o_user := r.o_user;
                    o_client := r.o_client; o_sender := r.o_sender; o_name := r.o_name; o_kind := r.o_kind;
                    o_room := r.o_room; o_text := r.o_text; o_time := r.o_time; o_file := r.o_file;
                    RETURN NEXT;
                    -- new ones come in batch order, so a conversation's first is its lowest seq
                    IF NOT r.o_earlier AND (first_new -> p_conversation[r.o_idx]) IS NULL THEN
                        first_new := first_new || jsonb_build_object(p_conversation[r.o_idx], r.o_seq);
                    END IF;
                END LOOP;
                -- one conversation a query, so each is a short range of the primary key's index
                FOR k IN 1 .. coalesce(array_length(p_known_conversation, 1), 0) LOOP
                    below := (first_new ->> p_known_conversation[k])::bigint;
                    RETURN QUERY SELECT 0, true, m.seq, m.conversation, m.id, m.sender_user, m.client_id,
                            m.sender_id, m.sender_name, m.kind, m.room, m.text, m.time_ms, m.file
                        FROM messages m
                        WHERE m.conversation = p_known_conversation[k] AND m.seq > p_known_seq[k]
                            AND (below IS NULL OR m.seq < below) AND m.id <> ALL (p_id)
                        ORDER BY m.seq
                        LIMIT 64;
                END LOOP;
            END
            $fn$""";

    /** Step {@code i} takes the schema from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(
            // 1: the log and room memberships (what SQLite's version 3 has)
            List.of(
                    "CREATE TABLE messages (conversation text NOT NULL, seq bigint NOT NULL, id text NOT NULL UNIQUE,"
                            + " sender_user text, client_id text, sender_id text, sender_name text, kind text NOT NULL,"
                            + " room text, text text NOT NULL, time_ms bigint NOT NULL, PRIMARY KEY (conversation, seq))",
                    // a retried send is found by its sender and client id (MessageStore#append)
                    "CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_user, client_id)"
                            + " WHERE client_id IS NOT NULL",
                    "CREATE TABLE memberships (member text NOT NULL, room text NOT NULL, PRIMARY KEY (member, room))"),
            // 2: messages may carry a file (SQLite's version 4)
            List.of("ALTER TABLE messages ADD COLUMN file text"),
            // 3: one row per conversation holding its highest seq: the row that hosts appending to the
            // same conversation lock in turn, so numbers follow commit order with no gaps
            List.of(
                    "CREATE TABLE conversations (conversation text PRIMARY KEY, latest_seq bigint NOT NULL)",
                    "INSERT INTO conversations (conversation, latest_seq)"
                            + " SELECT conversation, max(seq) FROM messages GROUP BY conversation"),
            // 4: shared files' bytes, for every host of a cluster to read (PostgresFileCopies); a
            // files row is written last, in the same transaction, so it means the parts are all there
            List.of(
                    "CREATE TABLE file_parts (sha256 text NOT NULL, part integer NOT NULL, bytes bytea NOT NULL,"
                            + " PRIMARY KEY (sha256, part))",
                    "CREATE TABLE files (sha256 text PRIMARY KEY, size bigint NOT NULL, parts integer NOT NULL,"
                            + " stored_at timestamptz NOT NULL DEFAULT now())"),
            // 5: an append in one call (PostgresMessageStore.Append): one round trip to PostgreSQL
            // instead of four, and a conversation's row locked for the function's run, not across
            // the network round trips to the host and back
            List.of(APPEND_FUNCTION),
            // 6: an append also answers what other hosts stored just before it in the same
            // conversations (PostgresMessageStore.Append), so a host routes its own message at once
            // instead of holding it until Redis brings the earlier ones (host.LiveOrder)
            List.of(APPEND_AFTER_FUNCTION));

    /** The version this Parley writes. */
    static final int VERSION = STEPS.size();

    private PostgresSchema() {}

    /**
     * Brings the database to {@link #VERSION}.
     *
     * @throws StoreException when a newer Parley migrated it, or it holds tables Parley did not make
     * @throws SQLException   when PostgreSQL fails
     */
    static void migrate(Connection connection, PostgresTarget target) throws SQLException {
        migrate(connection, target, VERSION);
    }

    /** Brings the database to {@code wanted} (tests make an older schema with it). */
    static void migrate(Connection connection, PostgresTarget target, int wanted) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            int version = version(connection);
            if (version > VERSION) {
                throw newer(target, version);
            }
            if (version == 0) {
                refuseForeignTables(connection, target);
                sql.execute("CREATE TABLE schema_version (version integer PRIMARY KEY,"
                        + " migrated_at timestamptz NOT NULL DEFAULT now())");
            }
            for (int step = version; step < wanted; step++) {
                for (String statement : STEPS.get(step)) {
                    sql.execute(statement);
                }
                sql.execute("INSERT INTO schema_version (version) VALUES (" + (step + 1) + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The database's schema version: 0 when Parley never created its tables there. */
    static int version(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet exists = sql.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement sql = connection.createStatement();
                ResultSet max = sql.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            max.next();
            return max.getInt(1);
        }
    }

    static StoreException newer(PostgresTarget target, int version) {
        return new StoreException("Cannot use the " + target.describe() + ": a newer Parley migrated it to schema"
                + " version " + version + ", and this one knows up to " + VERSION + ". Run the newer Parley on every"
                + " host that shares it");
    }

    /** A first start in a database that another program already uses would mix its tables with ours. */
    private static void refuseForeignTables(Connection connection, PostgresTarget target) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name FROM unnest(?::text[]) AS name WHERE to_regclass(name) IS NOT NULL")) {
            query.setArray(
                    1, connection.createArrayOf("text", new String[] {"messages", "memberships", "conversations"}));
            try (ResultSet found = query.executeQuery()) {
                if (found.next()) {
                    throw new StoreException("Cannot use the " + target.describe() + ": it has a table "
                            + found.getString(1) + " that Parley did not make. Give Parley a database of its own");
                }
            }
        }
    }
}
