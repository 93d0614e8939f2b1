package io.vigil.delivery;

import java.io.Serializable;
import java.time.Duration;
import java.util.Random;

/**
 * When a delivery is tried again: exponential backoff with jitter for the first
 * {@link #maxAttempts()} requests, then the slow cadence, for ever, until the channel accepts it.
 * A server's Retry-After is honoured when it asks for longer (up to {@link #maxRetryAfter()}).
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration slowRetry;
    private final Duration maxRetryAfter;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration slowRetry,
            Duration maxRetryAfter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || slowRetry.isNegative()
                || slowRetry.isZero() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoffs must be positive and max backoff at least the initial one");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.slowRetry = slowRetry;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** Six requests over about a minute (1 s, 2 s, 4 s, 8 s, 16 s), then one every 5 minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(15));
    }

    public RetryPolicy maxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, slowRetry, maxRetryAfter);
    }

    /** The wait after the first failed request, doubling after each next one up to {@code max}. */
    public RetryPolicy backoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, slowRetry, maxRetryAfter);
    }

    /** The wait between requests once the fast retries are used up, or after a rejection. */
    public RetryPolicy slowRetry(Duration every) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, every, maxRetryAfter);
    }

    /** The longest Retry-After honoured: a server asking for an hour does not silence alerts for one. */
    public RetryPolicy maxRetryAfter(Duration max) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, slowRetry, max);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration slowRetry() {
        return slowRetry;
    }

    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The wait after failed request number {@code attempt} (1-based) while fast retries remain:
     * {@code initial * 2^(attempt-1)}, capped, with "equal jitter" (half fixed, half random), so
     * retries of many alerts spread out but never come sooner than half the nominal wait.
     */
    public long backoffMillis(int attempt, Random random) {
        long nominal = initialBackoff.toMillis();
        for (int i = 1; i < attempt && nominal < maxBackoff.toMillis(); i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, maxBackoff.toMillis());
        long half = nominal / 2;
        return half + (half == 0 ? 0 : (long) (random.nextDouble() * (nominal - half + 1)));
    }

    @Override
    public String toString() {
        return "retry " + maxAttempts + " attempts, backoff " + initialBackoff + ".." + maxBackoff + ", then every "
                + slowRetry;
    }
}
