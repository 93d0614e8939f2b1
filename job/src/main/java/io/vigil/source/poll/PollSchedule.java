package io.vigil.source.poll;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a {@link PollingSource} polls and how it retries: periods of {@code step} aligned to the
 * epoch, each polled {@code delay} after it ends (the service needs that long to have its data).
 */
public final class PollSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    final long stepMs;
    final long delayMs;
    /** A job without a position starts this far before the present. */
    final long lookbackMs;
    /** Most periods fetched in one poll when catching up. */
    final int maxPeriodsPerPoll;
    /** Attempts of one poll (the first included) before it counts as failed. */
    final int attempts;
    final long backoffMs;
    final long maxBackoffMs;

    public PollSchedule(Duration step, Duration delay, Duration lookback, int maxPeriodsPerPoll, int attempts,
            Duration backoff, Duration maxBackoff) {
        if (step.toMillis() < 1000) {
            throw new IllegalArgumentException("step must be at least 1s, got " + step);
        }
        this.stepMs = step.toMillis();
        this.delayMs = delay.toMillis();
        this.lookbackMs = lookback.toMillis();
        this.maxPeriodsPerPoll = maxPeriodsPerPoll;
        this.attempts = attempts;
        this.backoffMs = backoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
    }

    /** The start of the period {@code t} is in. */
    long align(long t) {
        return Math.floorDiv(t, stepMs) * stepMs;
    }

    /** The end of the last period that may be polled at {@code now}: ended at least {@code delay} ago. */
    long lastPollableEnd(long now) {
        return align(now - delayMs);
    }

    /** Where a split with no position starts. */
    long firstStart(long now) {
        return align(now - delayMs - lookbackMs);
    }

    /** The wait before retry {@code n} (1-based): doubling from the backoff, capped. */
    long backoff(int n) {
        long b = backoffMs;
        for (int i = 1; i < n && b < maxBackoffMs; i++) {
            b *= 2;
        }
        return Math.min(b, maxBackoffMs);
    }
}
