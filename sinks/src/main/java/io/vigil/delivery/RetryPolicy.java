package io.vigil.delivery;

import java.io.Serializable;
import java.time.Duration;
import java.util.Random;

/**
 * When a delivery is tried again: exponential backoff with jitter for the first
 * {@link #maxAttempts()} requests, then the slow cadence until the channel accepts it, or until it
 * was refused {@link #maxRejections()} times or has waited {@link #maxAge()}: then it is abandoned.
 * A server's Retry-After is honoured when it asks for longer (up to {@link #maxRetryAfter()}).
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration slowRetry;
    private final Duration maxRetryAfter;
    private final int maxRejections;
    private final Duration maxAge;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration slowRetry,
            Duration maxRetryAfter, int maxRejections, Duration maxAge) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || slowRetry.isNegative()
                || slowRetry.isZero() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoffs must be positive and max backoff at least the initial one");
        }
        if (maxRejections < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max rejections must be at least 1 and max age positive");
        }
        this.maxRejections = maxRejections;
        this.maxAge = maxAge;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.slowRetry = slowRetry;
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * Six requests over about a minute (1 s, 2 s, 4 s, 8 s, 16 s), then one every 5 minutes;
     * abandoned after 20 refusals or 24 hours.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(15), 20, Duration.ofHours(24));
    }

    public RetryPolicy maxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, slowRetry, maxRetryAfter, maxRejections, maxAge);
    }

    /** The wait after the first failed request, doubling after each next one up to {@code max}. */
    public RetryPolicy backoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, slowRetry, maxRetryAfter, maxRejections, maxAge);
    }

    /** The wait between requests once the fast retries are used up, or after a rejection. */
    public RetryPolicy slowRetry(Duration every) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, every, maxRetryAfter, maxRejections, maxAge);
    }

    /** The longest Retry-After honoured: a server asking for an hour does not silence alerts for one. */
    public RetryPolicy maxRetryAfter(Duration max) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, slowRetry, max, maxRejections, maxAge);
    }

    /** Refusals (4xx other than 429) after which a delivery is abandoned. */
    public RetryPolicy maxRejections(int rejections) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, slowRetry, maxRetryAfter, rejections, maxAge);
    }

    /** How long a delivery may stay undelivered (since it was queued) before it is abandoned. */
    public RetryPolicy maxAge(Duration age) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, slowRetry, maxRetryAfter, maxRejections, age);
    }

    public int maxRejections() {
        return maxRejections;
    }

    public Duration maxAge() {
        return maxAge;
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
                + slowRetry + ", abandoned after " + maxRejections + " refusals or " + maxAge;
    }
}
