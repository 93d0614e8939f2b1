package io.vigil.source.poll;

/** A poll the service refused or did not answer; retryable ones (429, 5xx, no connection) are tried again. */
public class PollFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    /** The service's Retry-After in ms, or -1. */
    private final long retryAfterMs;

    public PollFailure(String message, boolean retryable, long retryAfterMs, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
    }

    public PollFailure(String message, boolean retryable) {
        this(message, retryable, -1, null);
    }

    /** A failure by HTTP status: 429 and 5xx are retryable, other statuses are not. */
    public static PollFailure ofStatus(int status, String what, long retryAfterMs) {
        return new PollFailure(what + ": HTTP " + status, status == 429 || status >= 500, retryAfterMs, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public long retryAfterMs() {
        return retryAfterMs;
    }
}
