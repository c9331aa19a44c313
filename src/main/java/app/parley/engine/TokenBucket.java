package app.parley.engine;

/**
 * A rate limit: starts full with {@code burst} tokens, refills at {@code perSecond}, and each
 * admitted action takes one. Thread-safe.
 */
public final class TokenBucket {
    private final int burst;
    private final int perSecond;
    private double tokens;
    private long refilledAt;

    public TokenBucket(int burst, int perSecond) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /** @return true, taking a token, when the action is within the limit */
    public synchronized boolean tryTake() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Puts back a token taken for an action that turned out to cost nothing here (never past full). */
    public synchronized void giveBack() {
        refill();
        tokens = Math.min(burst, tokens + 1);
    }

    /** Whether it is as full as a new one: such a bucket can be forgotten and made again. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
    }
}
