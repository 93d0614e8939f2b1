package io.vigil.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sink.LineEncoder;
import java.time.Instant;

/**
 * A delivery record as one JSON line ({@code deliveries.jsonl}, when the tables are off), with the
 * column names of the {@code alert_deliveries} table.
 */
public final class DeliveryRecordJson implements LineEncoder<DeliveryRecord> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String encode(DeliveryRecord r) throws Exception {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("sink", r.sink);
        o.put("route", r.route);
        o.put("alert_id", r.alertId);
        if (r.alertIds != null) {
            com.fasterxml.jackson.databind.node.ArrayNode ids = o.putArray("alert_ids");
            for (String id : r.alertIds) {
                ids.add(id);
            }
        }
        o.put("rule_id", r.ruleId);
        o.put("severity", r.severity);
        o.put("state", r.state);
        o.put("alert_emitted_at", Instant.ofEpochMilli(r.alertEmittedAt).toString());
        o.put("attempt", r.attempt);
        o.put("status", r.status.wire());
        if (r.httpStatus != null) {
            o.put("http_status", r.httpStatus);
        }
        if (r.latencyMs != null) {
            o.put("latency_ms", r.latencyMs);
        }
        o.put("attempted_at", Instant.ofEpochMilli(r.attemptedAt).toString());
        if (r.nextAttemptAt != null) {
            o.put("next_attempt_at", Instant.ofEpochMilli(r.nextAttemptAt).toString());
        }
        if (r.error != null) {
            o.put("error", r.error);
        }
        if (r.messageId != null) {
            o.put("message_id", r.messageId);
        }
        return MAPPER.writeValueAsString(o);
    }
}
