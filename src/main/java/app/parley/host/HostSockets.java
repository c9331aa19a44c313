package app.parley.host;

import app.parley.admin.AdminAccount;
import app.parley.admin.AdminNamespace;
import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInventory;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One running host's socket inventory, the control over its chat sockets, and the Admin UI
 * namespace when an admin account is set: made by {@link HostServer#start()}, closed with it.
 */
final class HostSockets implements AutoCloseable {
    private final SocketBook book;
    private final HostSocketControl control;
    private final Presence presence;
    private final Guests guests;
    private final AdminNamespace admin;

    private HostSockets(SocketBook book, HostSocketControl control, HostParts parts, AdminNamespace admin) {
        this.book = book;
        this.control = control;
        this.presence = parts.presence();
        this.guests = parts.guests();
        this.admin = admin;
    }

    /**
     * @param recorder      the host's pen for its inventory, which outlives a start
     * @param chatNamespace netty-socketio's name of the chat namespace
     * @param account       who may use the Admin UI, or null for no {@code /admin} namespace
     */
    static HostSockets start(
            HostConfig config,
            app.parley.sockets.SocketRecorder recorder,
            String chatNamespace,
            AdminAccount account,
            HostParts parts,
            ChatRequests chat,
            PasswordGuard passwords,
            ChatBudgets budgets,
            ScheduledExecutorService timer) {
        var engine = parts.engine();
        SocketBook book = new SocketBook(recorder, engine, config.tls() != null);
        parts.presence().observe(book);
        engine.addConnectionListener(book);
        HostSocketControl control = new HostSocketControl(
                engine.server().getNamespace(chatNamespace), engine, chat, parts.guests(), book, parts.rooms());
        AdminNamespace admin = null;
        if (account != null) {
            SocketIONamespace namespace = engine.server().addNamespace(AdminNamespace.NAME);
            book.track(namespace); // before the admin's own listeners: an admin is listed when it gets all_sockets
            AdminRules rules = new AdminRules(passwords, budgets, engine, timer);
            engine.addConnectionListener(rules);
            admin = new AdminNamespace(namespace, account, book.inventory(), control, rules, engine::sessionCount);
            engine.tapEvents(admin.eventTap());
        }
        return new HostSockets(book, control, parts, admin);
    }

    SocketInventory inventory() {
        return book.inventory();
    }

    /** The Admin UI's namespace, when an admin account was set. */
    java.util.Optional<AdminNamespace> admin() {
        return java.util.Optional.ofNullable(admin);
    }

    SocketControl control() {
        return control;
    }

    /** A chat socket's connect listeners ran ({@link Admission#admit} first, so it is present). */
    void chatConnected(SocketIOClient client) {
        guests.find(client.getSessionId()).ifPresent(guest -> book.chatConnected(client, presence, guest));
    }

    void chatDisconnected(UUID id) {
        book.chatDisconnected(id);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
