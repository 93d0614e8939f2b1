package io.vigil.alert;

import io.vigil.model.Severity;

/**
 * The lifecycle state of one (rule, entity), kept as keyed state. INACTIVE tracks are not stored:
 * a resolved or dropped alert leaves nothing behind.
 */
public class AlertTrack {
    /** Lifecycle phases; notifications happen on entering FIRING, on severity changes and on resolve. */
    public enum Phase {
        INACTIVE,
        PENDING,
        FIRING
    }

    public Phase phase = Phase.INACTIVE;
    public Severity severity;
    /** PENDING: when the condition started to hold. */
    public long activeSince;
    /** FIRING: when it started firing. */
    public long startsAt;
    /** FIRING: event time of the last notification, for repeat_interval. */
    public long lastNotifiedAt;
    /** FIRING: when the condition cleared, or {@link Long#MIN_VALUE} while it still holds. */
    public long clearSince = Long.MIN_VALUE;
    /** The event-time timer the operator set for the next deadline, or {@link Long#MIN_VALUE}. */
    public long timer = Long.MIN_VALUE;
    /** The latest observation, whose value and summary the next notification carries. */
    public Observation last;

    public AlertTrack() {}
}
