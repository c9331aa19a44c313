package app.parley.host;

import app.parley.engine.TokenBucket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat-event budgets an event is taken from: its connection's ({@link HostConfig.ChatRate}),
 * its user's across all their connections ({@link #USER_FACTOR} times that) and its remote
 * address's across all connections from it ({@link #ADDRESS_FACTOR} times that), so opening more
 * connections buys no more than one person or one machine may send (docs/PROTOCOL.md §5). The
 * connection's own bucket goes with it ({@link Guest}); what it took from its user and address
 * stays taken after it closes.
 */
final class ChatBudgets {
    /** A person with a few windows open. */
    static final int USER_FACTOR = 3;
    /** A household or an office behind one NAT address, not a botnet on one machine. */
    static final int ADDRESS_FACTOR = 10;
    /** Shared buckets that have refilled are forgotten at most this often (they equal new ones). */
    private static final long SWEEP_NANOS = 10_000_000_000L;

    private final HostConfig.ChatRate rate;
    private final Map<String, TokenBucket> users = new ConcurrentHashMap<>();
    private final Map<InetAddress, TokenBucket> addresses = new ConcurrentHashMap<>();
    private final AtomicLong sweptAt = new AtomicLong(System.nanoTime());

    ChatBudgets(HostConfig.ChatRate rate) {
        this.rate = rate;
    }

    /** A new connection's own budget, kept with the rest of what is known of it ({@link Guest}). */
    TokenBucket connectionBudget() {
        return bucket(1);
    }

    /** Takes one event from each budget; past any of them, says why (and nothing else happens). */
    Optional<String> take(TokenBucket connection, SocketAddress remote, String user) {
        sweepNow();
        if (!connection.tryTake()) {
            return Optional.of("too many events: at most " + rate.perSecond() + " a second (bursts of " + rate.burst()
                    + "); this one was not sent");
        }
        if (user != null
                && !users.computeIfAbsent(user, u -> bucket(USER_FACTOR)).tryTake()) {
            return Optional.of("too many events from your connections together: at most "
                    + rate.perSecond() * USER_FACTOR + " a second; this one was not sent");
        }
        InetAddress address = remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (address != null
                && !addresses
                        .computeIfAbsent(address, a -> bucket(ADDRESS_FACTOR))
                        .tryTake()) {
            return Optional.of("too many events from " + address.getHostAddress() + ": at most "
                    + rate.perSecond() * ADDRESS_FACTOR + " a second from one address; this one was not sent");
        }
        return Optional.empty();
    }

    private TokenBucket bucket(int factor) {
        return new TokenBucket(saturated(rate.burst(), factor), saturated(rate.perSecond(), factor));
    }

    private static int saturated(int value, int factor) {
        return (int) Math.min(Integer.MAX_VALUE, (long) value * factor);
    }

    /** Forgets full shared buckets now and then, so they do not pile up, and a fresh one gives nothing extra. */
    private void sweepNow() {
        long last = sweptAt.get();
        long now = System.nanoTime();
        if (now - last > SWEEP_NANOS && sweptAt.compareAndSet(last, now)) {
            users.values().removeIf(TokenBucket::isFull);
            addresses.values().removeIf(TokenBucket::isFull);
        }
    }
}
