package io.vigil.alert;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;

/** What the notification policy knows of one firing alert: its latest event and what was delivered. */
public class Notice {
    /** The latest firing event of the alert. */
    public AlertEvent alert;
    /** The severity last delivered while it fires; null when nothing was (silenced or inhibited). */
    public Severity delivered;

    public Notice() {}

    /** True when the alert's current state has not reached anyone yet. */
    public boolean heldBack() {
        return delivered != alert.severity;
    }
}
