package app.parley.host;

import app.parley.admin.AdminGate;
import app.parley.engine.ConnectionListener;
import app.parley.engine.SocketIoEngine;
import app.parley.engine.TokenBucket;
import com.corundumstudio.socketio.SocketIOClient;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The host's rules for the admin namespace, the same as for the chat: wrong credentials count in
 * the one {@link PasswordGuard} (an address guessing at either is shut out of both, and a
 * connection is closed after its third wrong try), and commands are paid from a chat budget of the
 * admin socket's own plus its address's ({@link ChatBudgets}).
 */
final class AdminRules implements AdminGate, ConnectionListener {
    private final PasswordGuard passwords;
    private final ChatBudgets budgets;
    private final SocketIoEngine engine;
    private final ScheduledExecutorService timer;
    /** Per connection, until it closes: wrong tries, and its command budget. */
    private final Map<UUID, Integer> failures = new ConcurrentHashMap<>();

    private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();

    AdminRules(PasswordGuard passwords, ChatBudgets budgets, SocketIoEngine engine, ScheduledExecutorService timer) {
        this.passwords = passwords;
        this.budgets = budgets;
        this.engine = engine;
        this.timer = timer;
    }

    @Override
    public Optional<String> shutOut(SocketIOClient client) {
        return passwords.shutOut(client.getRemoteAddress());
    }

    @Override
    public void failed(SocketIOClient client) {
        int tries = failures.merge(client.getSessionId(), 1, Integer::sum);
        if (passwords.failed(tries, client.getRemoteAddress())) {
            // After its answer has left: the refusal says why the connection ends.
            timer.schedule(
                    () -> engine.closeConnection(
                            client, PasswordGuard.MAX_FAILURES_PER_CONNECTION + " wrong passwords on one connection"),
                    100,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void succeeded(SocketIOClient client) {
        passwords.succeeded(client.getRemoteAddress());
    }

    @Override
    public Optional<String> overRate(SocketIOClient client) {
        TokenBucket own = buckets.computeIfAbsent(client.getSessionId(), id -> budgets.connectionBudget());
        return budgets.take(own, client.getRemoteAddress(), null);
    }

    @Override
    public void closed(UUID connection, String reason) {
        failures.remove(connection);
        buckets.remove(connection);
    }
}
