package app.parley.host;

import app.parley.engine.SocketIoEngine;
import app.parley.engine.ThrottledLog;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import app.parley.session.SessionEvent;
import app.parley.store.StoredMessage;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.SocketIOClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets in and how they go live: the password and handshake checked at CONNECT, the name
 * claimed at connect, then what a resuming socket missed replayed before live traffic reaches it.
 */
final class Admission {
    /** Logged as the host, as before this moved out of HostServer. */
    private static final Logger LOG = LoggerFactory.getLogger(HostServer.class);

    private final HostConfig config;
    private final BooleanSupplier running;
    private final PasswordGuard passwords;
    /** What is known of each socket: made here at its first CONNECT. */
    private final Guests guests;

    private final Names names;
    private final Presence presence;
    private final History history;
    private final app.parley.store.FileShelf shelf;
    private final SocketIoEngine engine;
    /** Where live messages go; in a cluster, the order they are delivered in here. */
    private final Rooms rooms;
    /** Paces replays and closes connections that used up their password tries. */
    private final ScheduledExecutorService replayTimer;

    private final ChatRequests chat;
    private final Consumer<SessionEvent> publish;
    /** Socket.IO's connection state recovery (docs/PROTOCOL.md §16). */
    private final Recovery recovery;

    Admission(
            HostConfig config,
            BooleanSupplier running,
            PasswordGuard passwords,
            HostParts parts,
            ScheduledExecutorService replayTimer,
            ChatRequests chat,
            Consumer<SessionEvent> publish,
            Recovery recovery) {
        this.recovery = recovery;
        this.config = config;
        this.running = running;
        this.passwords = passwords;
        this.guests = parts.guests();
        this.names = parts.names();
        this.replayTimer = replayTimer;
        this.presence = parts.presence();
        this.history = parts.history();
        this.shelf = parts.shelf();
        this.chat = chat;
        this.publish = publish;
        this.engine = parts.engine();
        this.rooms = parts.rooms();
    }

    AuthTokenResult onConnectPacket(Object auth, SocketIOClient client) {
        if (!running.getAsBoolean()) {
            return new AuthTokenResult(false, Map.of("message", "the host is stopping"));
        }
        if (config.requiresPassword()) {
            Optional<String> shutOut = passwords.shutOut(client.getRemoteAddress());
            if (shutOut.isPresent()) {
                ThrottledLog.warn(LOG, "password guessers shut out")
                        .log("Refused {} from {}: {}", client.getSessionId(), client.getRemoteAddress(), shutOut.get());
                return new AuthTokenResult(false, Map.of("message", shutOut.get()));
            }
            if (!passwordMatches(auth)) {
                ThrottledLog.warn(LOG, "wrong passwords")
                        .log(
                                "Refused {} from {}: wrong or missing password",
                                client.getSessionId(),
                                client.getRemoteAddress());
                if (passwords.failed(guests.connecting(client.getSessionId()), client.getRemoteAddress())) {
                    // After its answer has left: the refusal says why the connection ends.
                    replayTimer.schedule(
                            () -> engine.closeConnection(
                                    client,
                                    PasswordGuard.MAX_FAILURES_PER_CONNECTION + " wrong passwords on one connection"),
                            100,
                            TimeUnit.MILLISECONDS);
                }
                return new AuthTokenResult(false, Map.of("message", HostServer.WRONG_PASSWORD));
            }
            passwords.succeeded(client.getRemoteAddress());
        }
        Guest guest = guests.connecting(client.getSessionId());
        guest.accepted(auth, Users.of(auth, client.getSessionId()));
        if (Resume.parse(auth) != null || recovery.isRestoring(client.getSessionId())) {
            guest.holdMembershipChanges(); // before the client can send a join-room
        }
        return AuthTokenResult.AuthTokenResultSuccess;
    }

    /** An accepted socket: from here it counts as present (own room, peers list). */
    void admit(SocketIOClient client) {
        UUID id = client.getSessionId();
        Guest guest = guests.of(client);
        Object auth = guest.handshakeAuth();
        String user = guest.user();
        Object asked = auth instanceof Map<?, ?> map ? map.get("name") : null;
        Recovery.Restoring restoring = recovery.restoring(id);
        if (asked == null && restoring != null) {
            asked = restoring.kept().name(); // the name it had, if nobody took it meanwhile
        }
        String name = null;
        if (asked != null) {
            Names.Grant grant = names.claimAtConnect(guest, asked);
            name = grant.name();
            if (grant.refusal() != null) {
                client.sendEvent(ChatEvents.ERROR, WireCodec.refused(ChatEvents.SET_NAME, grant.refusal()));
            }
        }
        presence.admit(guest, name);
        if (restoring != null) {
            recover(client, user, restoring);
            publish.accept(new SessionEvent.ClientConnected(id.toString(), auth));
            return;
        }
        Resume resume = Resume.parse(auth);
        if (resume == null) {
            // Nothing to replay: live at once, in order with routing as everything else.
            history.read(
                    () -> id,
                    admitted -> inOrder(() -> {
                        joinLiveRooms(client, user);
                        caughtUp(client, List.of());
                        recovery.wentLive(id);
                        // Held only when a recovery it claimed was not its user's (Recovery.grant).
                        guests.of(client).goneLive().forEach(Runnable::run);
                    }),
                    reason -> {
                        joinLiveRooms(client, user);
                        guests.of(client).goneLive().forEach(Runnable::run);
                    });
            publish.accept(new SessionEvent.ClientConnected(id.toString(), auth));
            return;
        }
        // In order with every message routed: replay what the socket missed (Replay), then put it
        // where live traffic reaches it (Node puts every socket in a room named by its id;
        // netty-socketio does not). Nothing live can overtake the replay.
        history.readInBackground(
                () -> {
                    List<String> rooms =
                            resume.rooms(Users.isLasting(user) ? history.store().roomsOf(user) : Set.of());
                    Map<String, Long> directs = Resume.directsOf(history.store(), user);
                    return new Resume.Plan(
                            rooms, resume.cursors(history.store(), user, rooms, directs.keySet()), directs);
                },
                plan -> {
                    // Restored memberships cost what join-room costs; past the budget the client joins itself.
                    List<String> restored = new ArrayList<>();
                    for (String room : plan.rooms()) {
                        if (chat.overRate(client).isPresent()) {
                            break;
                        }
                        restored.add(room);
                        presence.joinedRoom(id, room);
                    }
                    List<Resume.Cursor> cursors = plan.cursorsWithin(restored);
                    chat.startsAt(client, resume.unnamedStarts(cursors));
                    new Replay(
                                    history,
                                    engine,
                                    client,
                                    user,
                                    shelf,
                                    cursors,
                                    covered -> Resume.movedSincePlan(history.store(), user, plan.directs(), covered),
                                    seqs -> chat.startsAt(client, seqs),
                                    () -> goLive(client, user, restored),
                                    replayTimer)
                            .inOrderWith(rooms.order().orElse(null))
                            .startUnderLock();
                },
                reason -> {
                    ThrottledLog.warn(LOG, "replay failures").log("Could not replay history to {}: {}", id, reason);
                    joinLiveRooms(client, user);
                    guests.of(client).goneLive().forEach(Runnable::run);
                });
        publish.accept(new SessionEvent.ClientConnected(id.toString(), auth));
    }

    /**
     * A recovered socket (docs/PROTOCOL.md §16): back in the rooms it was in (each paid for as a
     * {@code join-room}), then everything stored after its offset that it may read and did not
     * send itself, by the same paced replay as a resume, then live.
     */
    private void recover(SocketIOClient client, String user, Recovery.Restoring restoring) {
        if (restoring.across() != null) {
            recoverAcross(client, user, restoring);
            return;
        }
        UUID id = client.getSessionId();
        history.read(
                () -> id,
                admitted -> {
                    List<String> restored =
                            restoreRooms(client, restoring.kept().rooms());
                    Replay.recovery(
                                    history,
                                    recovery.positions(),
                                    engine,
                                    client,
                                    shelf,
                                    restoring.from(),
                                    missedBy(client, user, restored),
                                    () -> goLiveRecovered(client, user, restored),
                                    replayTimer)
                            .inOrderWith(rooms.order().orElse(null))
                            // Live with a gap would be a recovery that lost messages and said
                            // recovered: closed instead, its client comes back fresh and knows.
                            .onFailure(reason ->
                                    engine.closeConnection(client, "could not replay what it missed: " + reason))
                            .startUnderLock();
                },
                reason -> {
                    ThrottledLog.warn(LOG, "replay failures").log("Could not recover {}: {}", id, reason);
                    joinLiveRooms(client, user);
                    guests.of(client).goneLive().forEach(Runnable::run);
                });
    }

    /**
     * A socket recovering a session another host kept (docs/PROTOCOL.md §16.1): back in its rooms
     * as {@link #recover} puts it, then each conversation it may read from the seq it had reached
     * there, as a resume replays (by seq, which every host of the cluster shares), then live.
     */
    private void recoverAcross(SocketIOClient client, String user, Recovery.Restoring restoring) {
        history.readInBackground(
                () -> {
                    Map<String, Long> directs = Resume.directsOf(history.store(), user);
                    return Map.entry(
                            directs,
                            restoring
                                    .across()
                                    .cursors(
                                            history.store(),
                                            user,
                                            restoring.kept().rooms(),
                                            directs.keySet(),
                                            Integer.MAX_VALUE));
                },
                plan -> {
                    List<String> restored =
                            restoreRooms(client, restoring.kept().rooms());
                    List<Resume.Cursor> cursors = plan.getValue().stream()
                            .filter(c -> Conversations.readable(c.conversation(), user, restored::contains))
                            .toList();
                    Replay.recoveryAcross(
                                    history,
                                    rooms.order().orElseThrow(),
                                    engine,
                                    client,
                                    shelf,
                                    cursors,
                                    covered -> Resume.movedSincePlan(history.store(), user, plan.getKey(), covered),
                                    restoring.from(),
                                    missedBy(client, user, restored),
                                    () -> goLiveRecovered(client, user, restored),
                                    replayTimer)
                            .onFailure(reason ->
                                    engine.closeConnection(client, "could not replay what it missed: " + reason))
                            .startUnderLock();
                },
                reason -> engine.closeConnection(client, "could not replay what it missed: " + reason));
    }

    /** The rooms a recovered socket is put back in, each paid for as a {@code join-room}; past the budget the rest are not. */
    private List<String> restoreRooms(SocketIOClient client, List<String> kept) {
        List<String> restored = new ArrayList<>();
        for (String room : kept) {
            if (chat.overRate(client).isPresent()) {
                break;
            }
            restored.add(room);
            presence.joinedRoom(client.getSessionId(), room);
        }
        return restored;
    }

    /** What a recovery replays to {@code client}: what it may read in {@code restored} and the rest, not its own. */
    private static Predicate<StoredMessage> missedBy(SocketIOClient client, String user, List<String> restored) {
        String self = client.getSessionId().toString();
        return stored -> !self.equals(stored.message().senderId())
                && Conversations.readable(stored.message().conversation(), user, restored::contains);
    }

    private void goLiveRecovered(SocketIOClient client, String user, List<String> restored) {
        goLive(client, user, restored);
        recovery.wentLive(client.getSessionId());
    }

    /** Runs {@code goLive} where no live message is delivered meanwhile: in a cluster, under {@link LiveOrder}'s lock. */
    private void inOrder(Runnable goLive) {
        rooms.order().ifPresentOrElse(order -> order.exclusively(goLive), goLive);
    }

    /** After the replay: the rooms restored that the socket has not left meanwhile, then the live rooms. */
    private void goLive(SocketIOClient client, String user, List<String> restored) {
        List<String> rooms = new ArrayList<>();
        for (String room : restored) {
            if (presence.isInRoom(client.getSessionId(), room)) {
                client.joinRoom(room);
                rooms.add(room);
            }
        }
        joinLiveRooms(client, user);
        caughtUp(client, rooms);
        guests.of(client).goneLive().forEach(Runnable::run);
    }

    /** Everyone and {@code rooms} are heard live from here: {@link ChatRequests#caughtUp}. */
    private void caughtUp(SocketIOClient client, List<String> rooms) {
        List<String> conversations = new ArrayList<>();
        conversations.add(Conversations.EVERYONE);
        rooms.forEach(room -> conversations.add(Conversations.room(room)));
        chat.caughtUp(client, conversations);
    }

    /** Where live traffic reaches a socket: its id room, its user's room, and everyone. */
    private static void joinLiveRooms(SocketIOClient client, String user) {
        client.joinRoom(client.getSessionId().toString());
        client.joinRoom(ChatRequests.USER_ROOM + user);
        client.joinRoom(ChatRequests.EVERYONE_ROOM);
    }

    /** Compares digests in constant time, so response timing says nothing about the password. */
    private boolean passwordMatches(Object auth) {
        Object given = auth instanceof Map<?, ?> map ? map.get("password") : null;
        return given instanceof String text && MessageDigest.isEqual(sha256(text), sha256(config.password()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
