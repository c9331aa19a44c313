package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.Target;
import app.parley.protocol.WireCodec;
import app.parley.protocol.WireRules;
import app.parley.session.SessionEvent;
import app.parley.session.SessionException;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a client asks of the server and waits for an answer to (join, leave, rename, history), and
 * the rooms it is in, which a new Socket.IO session must be told again after a reconnect.
 */
final class Requests {
    /** How long a request waits for the server's acknowledgement. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final ScheduledExecutorService timers;
    private final String endpoint;
    /** Parley hosts answer {@code list-peers}; other servers know no names and keep no history. */
    private final BooleanSupplier parleyHost;

    private final Consumer<SessionEvent> publish;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    Requests(
            Socket socket,
            ScheduledExecutorService timers,
            URI endpoint,
            BooleanSupplier parleyHost,
            Consumer<SessionEvent> publish) {
        this.socket = socket;
        this.timers = timers;
        this.endpoint = endpoint.toString();
        this.parleyHost = parleyHost;
        this.publish = publish;
    }

    CompletableFuture<String> joinRoom(String room) {
        Optional<String> refusal = WireRules.checkRoomName(room);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot join: " + refusal.get()));
        }
        return request(ChatEvents.JOIN_ROOM, room).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot join " + room + ": " + reason);
            });
            rooms.add(room);
            publishRooms();
            return args.length > 0 ? String.valueOf(args[0]) : "Joined " + room;
        });
    }

    CompletableFuture<String> leaveRoom(String room) {
        Optional<String> refusal = WireRules.checkRoomName(room);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot leave: " + refusal.get()));
        }
        return request(ChatEvents.LEAVE_ROOM, room).handle((args, failure) -> {
            rooms.remove(room);
            publishRooms();
            if (failure != null) {
                throw new SessionException(
                        "Left " + room + " here; the server did not confirm (it may not support leave-room)");
            }
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot leave " + room + ": " + reason);
            });
            return args.length > 0 ? String.valueOf(args[0]) : "Left " + room;
        });
    }

    CompletableFuture<String> rename(String name) {
        Optional<String> refusal = WireRules.checkNickname(name);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new SessionException("Cannot rename: " + refusal.get()));
        }
        if (!parleyHost.getAsBoolean()) {
            return CompletableFuture.failedFuture(new SessionException("This server does not know names"));
        }
        return request(ChatEvents.SET_NAME, name).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("Cannot rename: " + reason);
            });
            Object granted =
                    args.length > 0 && JsonTrees.toPlain(args[0]) instanceof Map<?, ?> m ? m.get("name") : null;
            return granted instanceof String s ? s : name;
        });
    }

    CompletableFuture<WireCodec.HistoryPage> history(Target conversation, long beforeSeq, int limit) {
        if (!parleyHost.getAsBoolean()) {
            return CompletableFuture.failedFuture(new SessionException("This server keeps no history"));
        }
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        if (conversation instanceof Target.Room room) {
            query.put("room", room.name());
        } else if (conversation instanceof Target.Direct direct) {
            query.put("with", direct.socketId());
        }
        if (beforeSeq < Long.MAX_VALUE) {
            query.put("before", beforeSeq);
        }
        query.put("limit", limit);
        return request(ChatEvents.HISTORY, JsonTrees.toJson(query)).thenApply(args -> {
            refusalOf(args).ifPresent(reason -> {
                throw new SessionException("No history: " + reason);
            });
            Object ack = args.length > 0 ? JsonTrees.toPlain(args[0]) : null;
            return WireCodec.decodeHistory(ack, Instant.now())
                    .orElseThrow(() -> new SessionException("No history: the server's answer was not a history page"));
        });
    }

    /** A new Socket.IO session knows none of our rooms; join them again after a reconnect. */
    void rejoinRooms() {
        for (String room : List.copyOf(rooms)) {
            // With an ack callback: tutorial servers call it unconditionally and crash without one.
            socket.emit(ChatEvents.JOIN_ROOM, new Object[] {room}, ack -> {});
        }
    }

    private CompletableFuture<Object[]> request(String event, Object... args) {
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        var timeout = timers.schedule(
                () -> answer.completeExceptionally(new SessionException(
                        "No answer from " + endpoint + " to " + event + " within " + ACK_TIMEOUT.toSeconds() + " s")),
                ACK_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        socket.emit(event, args, ackArgs -> {
            timeout.cancel(false);
            answer.complete(ackArgs);
        });
        return answer;
    }

    private static Optional<String> refusalOf(Object[] ackArgs) {
        return ackArgs.length > 0 ? WireCodec.refusalReason(JsonTrees.toPlain(ackArgs[0])) : Optional.empty();
    }

    private void publishRooms() {
        List<String> sorted = new ArrayList<>(rooms);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        publish.accept(new SessionEvent.RoomsChanged(sorted));
    }
}
