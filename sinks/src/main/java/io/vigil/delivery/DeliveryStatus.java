package io.vigil.delivery;

import java.util.Locale;

/** What became of one delivery attempt, as the alert_deliveries table records it. */
public enum DeliveryStatus {
    /** The channel accepted the alert; the delivery is done and leaves the operator's state. */
    DELIVERED,
    /** Throttled, a server error or a timeout: retried after a backoff. */
    RETRYING,
    /** Still failing after the fast retries: kept, and retried on the slow cadence. */
    FAILED,
    /** The channel refused the request (a 4xx other than 429): kept, and retried on the slow cadence. */
    REJECTED,
    /** No route of any channel matches the alert: no attempt was made (attempt 0). */
    UNROUTED,
    /**
     * Given up (the error says why: rejected too often, too old, or the pending queue was full):
     * the delivery leaves the operator's state undelivered and is counted in deliveriesAbandoned.
     */
    ABANDONED,
    /** A newer state change of the same alert on the same route was queued: only that one is sent. */
    SUPERSEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
