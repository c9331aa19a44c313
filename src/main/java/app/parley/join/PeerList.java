package app.parley.join;

import app.parley.protocol.WireCodec;
import app.parley.session.SessionEvent;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who the host says is present: its {@code list-peers} answer, then each {@code peers-changed};
 * every change is published whole as {@link SessionEvent.PeersChanged}. Also who is in each room
 * ({@code room-members}, where a payload of the wrong shape is ignored). Events arrive on one
 * thread, in order; reads may come from any thread.
 */
final class PeerList {
    private final Consumer<SessionEvent> publish;
    private final Set<String> peers = new LinkedHashSet<>();
    /** Nicknames of the present, guarded by {@link #peers}. */
    private final Map<String, String> names = new HashMap<>();
    /** The user of each present socket (to address direct messages so they outlive socket ids). */
    private final Map<String, String> usersById = new HashMap<>();

    PeerList(Consumer<SessionEvent> publish) {
        this.publish = publish;
    }

    /** The whole list, from {@code list-peers} or {@code peers}. */
    void replace(WireCodec.Peers list) {
        change(() -> {
            peers.clear();
            peers.addAll(list.ids());
            names.clear();
            names.putAll(list.names());
            usersById.putAll(list.users());
        });
    }

    /** A {@code peers-changed}. */
    void onPeersChanged(Object payload) {
        WireCodec.decodePeersChanged(payload)
                .ifPresent(change -> change(() -> {
                    peers.addAll(change.joined());
                    names.putAll(change.names());
                    usersById.putAll(change.users());
                    // usersById keeps those who left: a message to their old id still finds them (by user).
                    change.left().forEach(id -> {
                        peers.remove(id);
                        names.remove(id);
                    });
                }));
    }

    /** A {@code room-members}. */
    void onRoomMembers(Object payload) {
        WireCodec.decodeRoomMembers(payload)
                .ifPresent(members ->
                        publish.accept(new SessionEvent.RoomMembersChanged(members.room(), members.members())));
    }

    /** The user behind a socket id, present or gone; null when never seen. */
    String userOf(String socketId) {
        synchronized (peers) {
            return usersById.get(socketId);
        }
    }

    private void change(Runnable change) {
        SessionEvent.PeersChanged now;
        synchronized (peers) {
            change.run();
            now = new SessionEvent.PeersChanged(List.copyOf(peers), Map.copyOf(names), Map.copyOf(usersById));
        }
        publish.accept(now);
    }
}
