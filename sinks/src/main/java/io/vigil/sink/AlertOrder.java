package io.vigil.sink;

import io.vigil.model.AlertEvent;

/** Event-time order of alerts, with ties broken by rule, entity and state, so files are repeatable. */
public final class AlertOrder implements LineFileSink.SerializableComparator<AlertEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(AlertEvent a, AlertEvent b) {
        int c = Long.compare(a.eventTime, b.eventTime);
        if (c == 0) {
            c = a.ruleId.compareTo(b.ruleId);
        }
        if (c == 0) {
            c = a.entity.compareTo(b.entity);
        }
        if (c == 0) {
            c = a.state.compareTo(b.state);
        }
        if (c == 0) {
            c = a.severity.compareTo(b.severity);
        }
        return c;
    }
}
