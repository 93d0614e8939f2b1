package io.vigil.delivery;

/** The result of one request to a channel, as the delivery operator judges it. */
public final class Outcome {
    /** How the operator goes on. */
    public enum Kind {
        DELIVERED,
        /** Throttled, 5xx, timeout or connection failure: worth retrying soon. */
        RETRYABLE,
        /** Refused for a reason a retry does not fix soon (bad request, no such webhook or topic). */
        REJECTED,
        /** Refused for good: the same request would be refused again (a body the server finds invalid). */
        REFUSED
    }

    public static final long NO_RETRY_AFTER = -1;

    private final Kind kind;
    private final Integer httpStatus;
    private final String error;
    private final long retryAfterMillis;
    private final String messageId;

    private Outcome(Kind kind, Integer httpStatus, String error, long retryAfterMillis, String messageId) {
        this.kind = kind;
        this.httpStatus = httpStatus;
        // a channel redacts what it knows (a webhook); URIs with credentials in SDK messages too
        this.error = io.vigil.config.Redaction.of(error);
        this.retryAfterMillis = retryAfterMillis;
        this.messageId = messageId;
    }

    public static Outcome delivered(Integer httpStatus, String messageId) {
        return new Outcome(Kind.DELIVERED, httpStatus, null, NO_RETRY_AFTER, messageId);
    }

    public static Outcome retryable(Integer httpStatus, String error) {
        return new Outcome(Kind.RETRYABLE, httpStatus, error, NO_RETRY_AFTER, null);
    }

    /** Throttled with the server's own wait (Retry-After), which the whole lane honours. */
    public static Outcome throttled(Integer httpStatus, String error, long retryAfterMillis) {
        return new Outcome(Kind.RETRYABLE, httpStatus, error, retryAfterMillis, null);
    }

    public static Outcome rejected(Integer httpStatus, String error) {
        return new Outcome(Kind.REJECTED, httpStatus, error, NO_RETRY_AFTER, null);
    }

    /** Not retried: the delivery is abandoned at once with this reason. */
    public static Outcome refused(Integer httpStatus, String error) {
        return new Outcome(Kind.REFUSED, httpStatus, error, NO_RETRY_AFTER, null);
    }

    public Kind kind() {
        return kind;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    /** Redacted by the channel that made it. */
    public String error() {
        return error;
    }

    /** The server's Retry-After in ms, or {@link #NO_RETRY_AFTER}. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    public String messageId() {
        return messageId;
    }

    @Override
    public String toString() {
        return kind + (httpStatus == null ? "" : " " + httpStatus) + (error == null ? "" : ": " + error);
    }
}
