package app.parley.host;

import app.parley.cluster.Audience;
import app.parley.cluster.ClusterBus;
import app.parley.cluster.ClusterHandler;
import app.parley.cluster.ClusterMessage;
import app.parley.engine.RecoveryOffset;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.WireCodec;
import app.parley.sockets.NodeShape;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInventory;
import app.parley.store.StoredMessage;
import com.corundumstudio.socketio.AckCallback;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the chat's room sends go: to this host's sockets in the room and, in a cluster, to every
 * other server's (docs/PROTOCOL.md §19). What another server sends arrives here as a
 * {@link ClusterHandler} call and reaches this host's sockets the way a local send would.
 *
 * <p>Parley's own rooms for everyone and for each user ({@link ChatRequests#EVERYONE_ROOM},
 * {@link ChatRequests#USER_ROOM}) travel as they are between Parley hosts, but "everyone" goes on
 * the wire as no room at all, which is {@code io.emit} to a Node server of the cluster.
 */
final class Rooms implements ClusterHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);
    /** How long a socket has to acknowledge another server's broadcast when it set no timeout. */
    private static final int DEFAULT_ACK_SECONDS = 10;

    private final SocketIONamespace chat;
    private volatile ClusterBus bus = ClusterBus.none();
    private volatile SocketInventory inventory;
    private volatile SocketControl control;
    private volatile ClusterPeople people;
    private volatile RecoveryAcrossHosts recoveries;
    /** Each conversation's messages in seq order here; null when alone (one host numbers in routing order). */
    private volatile LiveOrder order;
    /** Numbers stored messages as they are routed here, when the store keeps no order of this host's; else null. */
    private volatile RoutedLog routed;

    Rooms(SocketIONamespace chat) {
        this.chat = chat;
    }

    /**
     * Stored messages routed here from now on take their recovery offset from {@code log}, in the
     * order they reach this host's sockets, in place of a position the store gave them.
     */
    void numberWith(RoutedLog log) {
        this.routed = log;
    }

    /** Joins the cluster: what this host sends is told to {@code cluster}, and its requests answered from these sockets. */
    void join(
            ClusterBus cluster,
            SocketInventory sockets,
            SocketControl socketControl,
            ClusterPeople others,
            LiveOrder liveOrder) {
        this.inventory = sockets;
        this.control = socketControl;
        this.people = others;
        this.order = liveOrder;
        this.bus = cluster;
    }

    /** The cluster's other Parley hosts' people; empty for a host on its own. */
    java.util.Optional<ClusterPeople> people() {
        return java.util.Optional.ofNullable(people);
    }

    /** The order live messages are delivered in here; empty for a host on its own. */
    java.util.Optional<LiveOrder> order() {
        return java.util.Optional.ofNullable(order);
    }

    /** Says goodbye to the cluster and closes the line to it; nothing for a host on its own. */
    void leaveCluster() {
        ClusterPeople others = people;
        if (others != null) {
            others.close();
        }
        bus.close();
    }

    /**
     * Sends to every socket in {@code room} but {@code except} (null: nobody left out), here and
     * on every server of the cluster. A {@link RecoveryOffset} among {@code args} stays on this
     * host: positions in its store mean nothing to another server.
     */
    void emit(String room, SocketIOClient except, String event, Object... args) {
        local(room, except, event, args);
        publish(room, except, event, args);
    }

    /**
     * A stored message of {@code conversation}: told to the cluster at once, delivered here in
     * seq order ({@link LiveOrder}).
     */
    void emitInOrder(String conversation, long seq, String room, SocketIOClient except, String event, Object... args) {
        publish(room, except, event, args);
        LiveOrder inOrder = order;
        if (inOrder == null) {
            local(room, except, event, numbered(conversation, seq, args));
        } else {
            inOrder.offer(conversation, seq, () -> local(room, except, event, numbered(conversation, seq, args)));
        }
    }

    /**
     * {@code args} ending with the message's recovery offset from {@link #routed}, taken now: the
     * caller routes it at once, in routing's one-at-a-time order. Unchanged without a log.
     */
    private Object[] numbered(String conversation, long seq, Object[] args) {
        RoutedLog log = routed;
        if (log == null) {
            return args;
        }
        RecoveryOffset offset = RecoveryOffset.at(log.record(conversation, seq));
        boolean hasOne = args.length > 0 && args[args.length - 1] instanceof RecoveryOffset;
        Object[] out = Arrays.copyOf(args, hasOne ? args.length : args.length + 1);
        out[out.length - 1] = offset;
        return out;
    }

    private void local(String room, SocketIOClient except, String event, Object[] args) {
        if (except == null) {
            chat.getRoomOperations(room).sendEvent(event, args);
        } else {
            chat.getRoomOperations(room).sendEvent(event, except, args);
        }
    }

    private void publish(String room, SocketIOClient except, String event, Object[] args) {
        ClusterBus cluster = bus;
        if (cluster.clustered()) {
            String leftOut = except == null ? null : except.getSessionId().toString();
            cluster.publish(new ClusterMessage.Broadcast(audience(room, leftOut), event, withoutOffset(args)));
        }
    }

    /** The sockets of a room of this host's, on the wire: everyone is no room at all ({@code io.emit}). */
    private static Audience audience(String room, String leftOutSocket) {
        List<String> except = leftOutSocket == null ? List.of() : List.of(leftOutSocket);
        return ChatRequests.EVERYONE_ROOM.equals(room) ? Audience.everyone(except) : Audience.room(room, except);
    }

    private static List<Object> withoutOffset(Object[] args) {
        List<Object> out = new ArrayList<>(args.length);
        for (Object arg : args) {
            if (!(arg instanceof RecoveryOffset)) {
                out.add(arg);
            }
        }
        return out;
    }

    @Override
    public void broadcast(Audience to, String event, List<Object> args) {
        Object[] array = args.toArray();
        LiveOrder inOrder = order;
        // A Parley host's stored message says where it stands: in order with this host's own.
        if (inOrder != null
                && ChatEvents.RECEIVE_MESSAGE.equals(event)
                && args.size() > 1
                && args.get(1) instanceof Map<?, ?> meta
                && meta.get("conv") instanceof String conversation
                && meta.get("seq") instanceof Number seq
                && seq.longValue() > 0) {
            long at = seq.longValue();
            inOrder.offer(conversation, at, () -> deliver(to, event, numbered(conversation, at, array)));
        } else {
            deliver(to, event, array);
        }
    }

    /**
     * One packet for every recipient, as netty-socketio's room send makes: the engine encodes a
     * packet object once however many sockets it goes to ({@code SocketIoEncoder.encodeShared}).
     */
    private void deliver(Audience to, String event, Object[] array) {
        Packet packet = new Packet(PacketType.MESSAGE, EngineIOVersion.UNKNOWN);
        packet.setSubType(PacketType.EVENT);
        packet.setName(event);
        packet.setData(Arrays.asList(array));
        for (SocketIOClient client : local(to)) {
            client.send(packet);
        }
    }

    /**
     * A message read from the store to fill a gap ({@link LiveOrder}): to this host's sockets it was
     * meant for, as its sender's host would have routed it, its sender's own socket left out.
     */
    void deliverStored(StoredMessage stored) {
        ChatMessage message = Conversations.fromStore(stored, null);
        String room = switch (message.kind()) {
            case ROOM -> message.room();
            case DIRECT -> ChatRequests.USER_ROOM + Conversations.otherUser(message.conversation(), message.user());
            default -> ChatRequests.EVERYONE_ROOM;
        };
        deliver(
                audience(room, message.from()),
                ChatEvents.RECEIVE_MESSAGE,
                numbered(stored.message().conversation(), stored.seq(), new Object[] {
                    message.text(), WireCodec.encodeMeta(message)
                }));
    }

    @Override
    public int broadcastWithAck(Audience to, String event, List<Object> args, Consumer<Object> ack) {
        long millis = to.timeoutMillis();
        int seconds = millis == 0 ? DEFAULT_ACK_SECONDS : (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis / 1000));
        Object[] array = args.toArray();
        Collection<SocketIOClient> clients = local(to);
        for (SocketIOClient client : clients) {
            client.sendEvent(
                    event,
                    new AckCallback<Object>(Object.class, seconds) {
                        @Override
                        public void onSuccess(Object result) {
                            ack.accept(result);
                        }
                    },
                    array);
        }
        return clients.size();
    }

    @Override
    public void socketsJoin(Audience who, List<String> rooms) {
        eachId(who, id -> rooms.forEach(room -> refusedQuietly(control.join(id, room))));
    }

    @Override
    public void socketsLeave(Audience who, List<String> rooms) {
        eachId(who, id -> rooms.forEach(room -> refusedQuietly(control.leave(id, room))));
    }

    @Override
    public void disconnectSockets(Audience who, boolean close) {
        eachId(
                who,
                id -> refusedQuietly(control.disconnect(id, close, "disconnected by another server of the cluster")));
    }

    /** Sessions lost here may be recovered on other hosts, and theirs here ({@link RecoveryAcrossHosts}). */
    void recoverAcross(RecoveryAcrossHosts hosts) {
        this.recoveries = hosts;
    }

    /** Where sessions lost here are told to the other hosts; empty for a host on its own. */
    java.util.Optional<RecoveryAcrossHosts> recoveries() {
        return java.util.Optional.ofNullable(recoveries);
    }

    @Override
    public void serverSideEmit(String from, List<Object> packet) {
        RecoveryAcrossHosts hosts = recoveries;
        if (hosts != null && packet.size() >= 2 && RecoveryAcrossHosts.EVENT.equals(packet.get(0))) {
            hosts.heard(from, packet.get(1));
            return;
        }
        ClusterPeople others = people;
        if (others != null) {
            others.heard(from, packet);
        }
    }

    @Override
    public List<Map<String, Object>> fetchSockets(String from, Audience who) {
        if (Boolean.TRUE.equals(who.flags().get(ClusterPeople.NODE_SOCKETS_ONLY))) {
            return List.of(); // another Parley host's presence: it has this host's people already
        }
        Set<String> ids = new LinkedHashSet<>();
        eachId(who, ids::add);
        List<Map<String, Object>> out = new ArrayList<>();
        SocketInventory sockets = inventory;
        for (String id : ids) {
            sockets.find("/", id).ifPresent(info -> out.add(NodeShape.socket(info)));
        }
        return out;
    }

    private void eachId(Audience who, Consumer<String> action) {
        if (control == null) {
            return;
        }
        for (SocketIOClient client : local(who)) {
            action.accept(client.getSessionId().toString());
        }
    }

    private static void refusedQuietly(java.util.Optional<String> refusal) {
        refusal.ifPresent(reason -> LOG.debug("Cluster request not carried out here: {}", reason));
    }

    /** This host's admitted sockets {@code to} names: in any of its rooms (every one for none) and in none of {@code except}. */
    private Collection<SocketIOClient> local(Audience to) {
        Set<SocketIOClient> out = new LinkedHashSet<>();
        List<String> rooms = to.rooms().isEmpty() ? List.of(ChatRequests.EVERYONE_ROOM) : to.rooms();
        for (String room : rooms) {
            out.addAll(chat.getRoomOperations(room).getClients());
        }
        // The rooms left out are usually one socket's own room: removing their few members costs
        // less than asking each recipient for its rooms.
        for (String room : to.except()) {
            for (SocketIOClient client : chat.getRoomOperations(room).getClients()) {
                out.remove(client);
            }
        }
        return out;
    }
}
