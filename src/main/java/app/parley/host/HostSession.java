package app.parley.host;

import app.parley.join.ClientConnection;
import app.parley.protocol.Target;
import app.parley.session.BrowserInvite;
import app.parley.session.HostedSession;
import app.parley.session.Identity;
import app.parley.session.SessionEvent;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Host mode: the embedded server plus this window's own client, joined over loopback. The
 * window chats through the same client code as any joiner, so both modes behave alike.
 */
public final class HostSession implements HostedSession {
    private final HostServer server;
    private final ClientConnection self;

    private HostSession(HostServer server, ClientConnection self) {
        this.server = server;
        this.self = self;
    }

    /**
     * Starts the server (blocks until the port is bound) and prepares the loopback client;
     * call {@link #open()} to connect it.
     *
     * @throws HostException when the port cannot be bound
     */
    public static HostSession start(HostConfig config) {
        return start(config, new Identity("", java.util.UUID.randomUUID().toString()), null);
    }

    /**
     * As {@link #start(HostConfig)}, chatting as {@code identity}, keeping the window's unacked
     * messages in {@code outboxes} (null: in memory only).
     */
    public static HostSession start(HostConfig config, Identity identity, Path outboxes) {
        HostServer server = new HostServer(config);
        int port = server.start();
        URI loopback = URI.create(config.scheme() + "://127.0.0.1:" + port);
        // The window's own client talks to its own server: straight to websocket, no upgrade dance,
        // and over TLS it knows the certificate to expect.
        ClientConnection.Options options = ClientConnection.Options.builder()
                .transports("websocket")
                .password(config.password())
                .identity(identity)
                .outboxes(outboxes)
                .pinnedFingerprint(server.tlsFingerprint().orElse(null))
                .build();
        return new HostSession(server, new ClientConnection(loopback, options));
    }

    public HostServer server() {
        return server;
    }

    @Override
    public void addListener(Consumer<SessionEvent> listener) {
        self.addListener(listener);
        server.addListener(event -> {
            // The window already logged what it emitted itself; the console shows the others'.
            boolean own = event instanceof SessionEvent.CustomEventReceived custom
                    && custom.source() != null
                    && custom.source().equals(self.socketId());
            if (!own) {
                listener.accept(event);
            }
        });
    }

    @Override
    public void open() {
        self.open();
    }

    /** The first join address (LAN first), where a browser finds the web client. */
    @Override
    public Optional<BrowserInvite> browserInvite() {
        return server.servesWebClient() ? Optional.of(GuestInvites.of(endpoint())) : Optional.empty();
    }

    /** What joiners see the first time (they can compare it with what their Parley shows). */
    @Override
    public Optional<String> certificateFingerprint() {
        return server.tlsFingerprint();
    }

    @Override
    public Optional<app.parley.sockets.SocketInventory> socketInventory() {
        return Optional.of(server.sockets());
    }

    @Override
    public Optional<app.parley.sockets.SocketControl> socketControl() {
        try {
            return Optional.of(server.socketControl());
        } catch (IllegalStateException stopped) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<Void> send(Target target, String text, String clientId) {
        return self.send(target, text, clientId);
    }

    @Override
    public app.parley.session.FileTransfer sendFile(Target target, Path file, String clientId) {
        return self.sendFile(target, file, clientId);
    }

    @Override
    public app.parley.session.FileTransfer receiveFile(app.parley.protocol.ChatMessage message, Path destination) {
        return self.receiveFile(message, destination);
    }

    @Override
    public List<app.parley.session.PendingMessage> pending() {
        return self.pending();
    }

    @Override
    public void retryNow() {
        self.retryNow();
    }

    @Override
    public CompletableFuture<String> joinRoom(String room) {
        return self.joinRoom(room);
    }

    @Override
    public CompletableFuture<String> leaveRoom(String room) {
        return self.leaveRoom(room);
    }

    @Override
    public CompletableFuture<String> rename(String name) {
        return self.rename(name);
    }

    @Override
    public void typing(Target target, boolean active) {
        self.typing(target, active);
    }

    @Override
    public CompletableFuture<app.parley.protocol.WireCodec.HistoryPage> history(
            Target conversation, long beforeSeq, int limit) {
        return self.history(conversation, beforeSeq, limit);
    }

    @Override
    public void emitCustom(String event, List<Object> args) {
        self.emitCustom(event, args);
    }

    @Override
    public String socketId() {
        return self.socketId();
    }

    @Override
    public String endpoint() {
        List<String> addresses = joinAddresses();
        return addresses.isEmpty() ? server.config().scheme() + "://localhost:" + server.port() : addresses.get(0);
    }

    @Override
    public List<String> joinAddresses() {
        return addressesFor(server.config(), server.port());
    }

    /** The URLs others can type to join a host bound to {@code bindAddress:port}. */
    public static List<String> addressesFor(HostConfig config, int port) {
        return JoinAddresses.of(config.bindAddress(), port).stream()
                .map(url -> config.tls() == null ? url : "https" + url.substring("http".length()))
                .toList();
    }

    @Override
    public void announce(String text) {
        // A storage failure reaches the window as a notice instead of vanishing with the future.
        server.announce(text).whenComplete((sent, failure) -> {
            if (failure != null) {
                Throwable cause =
                        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                server.notice(String.valueOf(cause.getMessage()));
            }
        });
    }

    /** Closes this window's client, then tells the others and stops the server. Blocks briefly. */
    @Override
    public void close() {
        try {
            self.close();
        } finally {
            server.close();
        }
    }
}
