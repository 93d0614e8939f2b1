package io.vigil.alert;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;

/** What the notification policy knows of one firing alert: its latest event and what was delivered. */
public class Notice {
    /** The latest firing event of the alert. */
    public AlertEvent alert;
    /** The severity last delivered while it fires; null when nothing was (silenced or inhibited). */
    public Severity delivered;
    /** The escalation policy that applies, or null. */
    public String policy;
    /** The escalation level reached, or null (no policy, or before its first level). */
    public String level;
    /** The level last delivered, or null. */
    public String deliveredLevel;
    /** When escalation counts from: the start of firing (replay), the wall clock when first seen (live). */
    public long escalationSince;
    /** When the next level is due (event time in replay, the wall clock live), or {@link Long#MIN_VALUE}. */
    public long escalateAt = Long.MIN_VALUE;

    public Notice() {}

    /** True when the alert's current state (severity and escalation level) has not reached anyone yet. */
    public boolean heldBack() {
        return delivered != alert.severity || !java.util.Objects.equals(deliveredLevel, level);
    }
}
