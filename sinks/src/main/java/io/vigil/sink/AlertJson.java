package io.vigil.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import java.time.Instant;

/** The alert event contract on the wire: one JSON object per state change, keys in a fixed order. */
public final class AlertJson implements LineEncoder<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String encode(AlertEvent a) throws Exception {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("alert_id", a.alertId);
        o.put("rule_id", a.ruleId);
        o.put("severity", a.severity.wire());
        o.put("state", a.state.wire());
        o.put("entity", a.entity);
        o.put("summary", a.summary);
        putNumber(o, "value", a.value);
        putNumber(o, "threshold", a.threshold);
        o.put("event_time", Instant.ofEpochMilli(a.eventTime).toString());
        o.put("starts_at", Instant.ofEpochMilli(a.startsAt).toString());
        if (a.state == AlertState.RESOLVED) {
            o.put("ends_at", Instant.ofEpochMilli(a.endsAt).toString());
        }
        ObjectNode labels = o.putObject("labels");
        for (Label l : a.labels) {
            labels.put(l.key, l.value);
        }
        o.put("runbook_url", a.runbookUrl);
        o.put("emitted_at", Instant.ofEpochMilli(a.emittedAt).toString());
        if (a.escalationLevel != null) {
            o.put("escalation_level", a.escalationLevel);
        }
        return MAPPER.writeValueAsString(o);
    }

    /** JSON has no NaN: a rule without a numeric value or threshold writes null. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
