package io.vigil.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import java.time.Instant;

/** The dead-letter line format: one JSON object per refused record, keys in a fixed order. */
public final class DeadLetterJson implements LineEncoder<Envelope> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String encode(Envelope e) throws Exception {
        DeadLetter d = e.deadLetter;
        ObjectNode o = MAPPER.createObjectNode();
        o.put("source", d.source);
        o.put("format", d.format.id());
        o.put("received_at", Instant.ofEpochMilli(d.receivedAt).toString());
        o.put("counted_at", Instant.ofEpochMilli(e.eventTime).toString());
        o.put("reason", d.reason.name());
        o.put("detail", d.detail);
        o.put("origin", d.origin);
        o.put("payload_bytes", d.payloadBytes);
        o.put("payload_truncated", d.payloadTruncated);
        o.put("payload_encoding", d.payloadEncoding);
        o.put("payload", d.payload);
        return MAPPER.writeValueAsString(o);
    }
}
