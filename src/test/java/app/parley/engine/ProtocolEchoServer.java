package app.parley.engine;

import com.corundumstudio.socketio.SocketIONamespace;
import java.util.List;
import java.util.Map;

/**
 * The server engine alone, configured as the "Test suite" sections of the Engine.IO v4 and
 * Socket.IO v5 protocol documents describe a compliant server, so those suites (and Parley's own
 * {@code app.parley.conformance} checks) can be run against it:
 * ping every 300 ms, 200 ms to answer, payloads up to 1,000,000 bytes, 1,000 ms to CONNECT, any
 * origin. On a connection to {@code /} or {@code /custom} it emits {@code auth} with the
 * handshake auth payload; {@code message} comes back as {@code message-back} with the same
 * arguments; {@code message-with-ack} is acknowledged with the same arguments. At
 * {@code /engine.io/} a plain Engine.IO endpoint sends every message back.
 *
 * <p>{@code java -cp … app.parley.engine.ProtocolEchoServer [port]} (default 3000, on 127.0.0.1);
 * see docs/PROTOCOL.md.
 */
public final class ProtocolEchoServer {
    private ProtocolEchoServer() {}

    /** The spec suites' settings on a port of 127.0.0.1. */
    public static EngineSettings specSettings(int port) {
        return EngineSettings.defaults("127.0.0.1", port).withTimings(300, 200, 1_000);
    }

    /** Builds (does not start) an echo engine. */
    public static SocketIoEngine create(int port) {
        return create(specSettings(port));
    }

    /** Builds (does not start) an echo engine with other settings (limits, TLS). */
    public static SocketIoEngine create(EngineSettings settings) {
        SocketIoEngine engine = new SocketIoEngine(settings);
        echo(engine.server().getNamespace(""));
        echo(engine.server().addNamespace("/custom"));
        engine.addEngineEndpoint(
                "/engine.io/",
                (session, message) ->
                        session.send(message.isBinary() ? message : EngineFrame.text("4" + message.text())));
        return engine;
    }

    private static void echo(SocketIONamespace namespace) {
        namespace.addConnectListener(client -> {
            Object auth = client.getHandshakeData().getAuthToken();
            client.sendEvent("auth", auth == null ? Map.of() : auth);
        });
        namespace.addEventListener(CatchAllJsonSupport.CUSTOM_EVENT, Object.class, (client, data, ack) -> {
            if (!(data instanceof CatchAllJsonSupport.CustomEvent event)) {
                return;
            }
            List<Object> args = event.args();
            if ("message".equals(event.name())) {
                client.sendEvent("message-back", args.toArray());
            } else if ("message-with-ack".equals(event.name()) && ack.isAckRequested()) {
                ack.sendAckData(args);
            }
        });
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        SocketIoEngine engine = create(port);
        int bound = engine.start();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "echo-server-stop"));
        System.out.println("ProtocolEchoServer listening on 127.0.0.1:" + bound);
        Thread.currentThread().join();
    }
}
