package app.parley.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing (docs/PROTOCOL.md §5). An address gets {@link #FREE_FAILURES} wrong
 * passwords for typos; after that each failure shuts it out for twice as long as the last, from
 * 1 s up to {@link #MAX_BACKOFF_SECONDS}, and while shut out its CONNECTs are refused unchecked.
 * A connection that sends {@link #MAX_FAILURES_PER_CONNECTION} wrong passwords is closed. The right
 * password from another address works meanwhile; from this one it clears the record.
 */
final class PasswordGuard {
    static final int FREE_FAILURES = 5;
    static final long MAX_BACKOFF_SECONDS = 300;
    static final int MAX_FAILURES_PER_CONNECTION = 3;
    /** Addresses remembered at once; past it the longest-quiet ones are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;
    /** Failures this far apart are typos on different days, not guessing: the count starts over. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(15);

    private static final class Record {
        int failures;
        long blockedUntilNanos;
        long lastFailureNanos;
    }

    private final LongSupplier clock;
    private final Map<InetAddress, Record> addresses = new LinkedHashMap<>(16, 0.75f, true);

    PasswordGuard() {
        this(System::nanoTime);
    }

    PasswordGuard(LongSupplier clock) {
        this.clock = clock;
    }

    /** Why a CONNECT from {@code remote} is refused before its password is even looked at, if it is. */
    synchronized Optional<String> shutOut(SocketAddress remote) {
        Record record = addresses.get(addressOf(remote));
        long now = clock.getAsLong();
        if (record == null || record.blockedUntilNanos <= now) {
            return Optional.empty();
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(record.blockedUntilNanos - now + 999_999_999L));
        return Optional.of(tooMany(seconds));
    }

    /**
     * Records a wrong password.
     *
     * @return true when the connection has used up its tries and is to be closed
     */
    synchronized boolean failed(Guest connection, SocketAddress remote) {
        return failed(connection.passwordFailed(), remote);
    }

    /**
     * Records a wrong password (or wrong admin credentials) from a connection that has now sent
     * {@code failuresOnConnection}.
     *
     * @return true when the connection has used up its tries and is to be closed
     */
    synchronized boolean failed(int failuresOnConnection, SocketAddress remote) {
        InetAddress address = addressOf(remote);
        if (address != null) {
            Record record = addresses.computeIfAbsent(address, a -> new Record());
            long now = clock.getAsLong();
            if (record.failures > 0
                    && now - record.lastFailureNanos > FORGET_NANOS
                    && record.blockedUntilNanos <= now) {
                record.failures = 0;
            }
            record.failures++;
            record.lastFailureNanos = now;
            if (record.failures > FREE_FAILURES) {
                long seconds = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(20, record.failures - FREE_FAILURES - 1));
                record.blockedUntilNanos = now + TimeUnit.SECONDS.toNanos(seconds);
            }
            forgetOldest();
        }
        return failuresOnConnection >= MAX_FAILURES_PER_CONNECTION;
    }

    /** The right password: the address starts over. */
    synchronized void succeeded(SocketAddress remote) {
        addresses.remove(addressOf(remote));
    }

    static String tooMany(long seconds) {
        return "too many wrong passwords, try again in " + seconds + " s";
    }

    private void forgetOldest() {
        Iterator<Record> oldest = addresses.values().iterator();
        while (addresses.size() > MAX_ADDRESSES && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
