package app.parley.join;

import app.parley.join.patch.CurrentTransport;
import app.parley.join.patch.EventThreadHold;
import app.parley.join.patch.PollingCalls;
import app.parley.protocol.ChatEvents;
import app.parley.protocol.WireCodec;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.WebSocket;

/**
 * The socket.io-client socket of one {@link ClientConnection}: built over our own HTTP client with a handshake
 * {@code auth} that can change between attempts, the {@link Delivery.Wire} messages go out on, and the HTTP
 * client let go after the goodbye. Apart so ClientConnection stays about the session.
 */
final class LibrarySocket {
    private LibrarySocket() {}

    /**
     * A socket that does not reconnect by itself and sends {@code auth} as it stands at each attempt.
     *
     * @param auth the handshake {@code auth}; mutable, because each reconnect says what was seen
     */
    static Socket create(
            URI uri,
            ClientConnection.Options options,
            Map<String, Object> auth,
            OkHttpClient http,
            WebSocket.Factory webSockets) {
        // the library types auth as strings; JSON objects serialise as well
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> authAsTheLibraryTypesIt = (Map) auth;
        IO.Options io = IO.Options.builder()
                .setForceNew(true)
                .setMultiplex(false)
                // Our own schedule (scheduleReconnect): it can say when the next attempt is, and
                // each attempt carries what this client has seen.
                .setReconnection(false)
                .setTimeout(10_000)
                .setTransports(options.transports().toArray(String[]::new))
                .setExtraHeaders(options.extraHeaders())
                .setAuth(authAsTheLibraryTypesIt)
                .build();
        io.callFactory = PollingCalls.over(http);
        io.webSocketFactory = webSockets;
        return IO.socket(uri, io);
    }

    /** Delivery's {@link Delivery.Wire} on {@code socket}. */
    static Delivery.Wire wire(Socket socket) {
        return (mayTransmit, entry, onAck) -> transmit(socket, mayTransmit, entry, onAck);
    }

    /** The {@link FileTransfers.Wire} on {@code socket}. */
    static FileTransfers.Wire files(Socket socket) {
        return new FileTransfers.Wire() {
            @Override
            public boolean connected() {
                return socket.connected();
            }

            @Override
            public long mostOnItsWay() {
                // Unknown (another library version): as on polling, slower on WebSocket but never refused.
                return "websocket".equals(CurrentTransport.of(socket))
                        ? Long.MAX_VALUE
                        : FileTransfers.MOST_ON_ITS_WAY_POLLING;
            }

            @Override
            public void emit(
                    String event,
                    java.util.List<Object> args,
                    BooleanSupplier current,
                    Consumer<java.util.List<Object>> onAck) {
                Object[] json = args.stream().map(JsonTrees::toJson).toArray();
                // Never buffered while offline: the library would send a stale chunk on reconnect.
                EventThreadHold.exec(() -> {
                    if (socket.connected() && current.getAsBoolean()) {
                        socket.emit(event, json, ack -> onAck.accept(JsonTrees.toPlainList(ack)));
                    }
                });
            }
        };
    }

    /** One {@code send-message} with its client id. */
    private static void transmit(
            Socket socket, BooleanSupplier mayTransmit, Outbox.Entry entry, Consumer<Object> onAck) {
        Object options =
                JsonTrees.toJson(WireCodec.encodeSendOptions(new WireCodec.SendOptions(entry.cid(), entry.toUser())));
        // On the socket's own thread, and only while connected and Delivery says so: the library
        // would otherwise buffer it while offline and send it on reconnect ahead of older messages
        // still in the outbox, and the host would store them out of order.
        EventThreadHold.exec(() -> {
            if (socket.connected() && mayTransmit.getAsBoolean()) {
                socket.emit(
                        ChatEvents.SEND_MESSAGE,
                        new Object[] {entry.text(), entry.room(), options},
                        ack -> onAck.accept(ack.length > 0 ? JsonTrees.toPlain(ack[0]) : null));
            }
        });
    }

    /** Stops {@code http}'s and {@code webSockets}' threads and drops their connections a second from now, once the socket has left. */
    static void shutDownLater(OkHttpClient http, NettyWebSockets webSockets) {
        // Leaving sends packets (41, and 1 on polling) on the HTTP client's threads: let them go
        // out before those threads stop, so the host sees the goodbye instead of a ping timeout.
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            webSockets.close();
        });
    }
}
