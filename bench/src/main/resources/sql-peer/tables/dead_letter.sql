-- Writes Vigil's event table dead_letter: every refused record, with its reason and payload.
-- Flink SQL alone has no dead letters (a JSON source skips or fails on what it cannot read): the
-- view dead_letters is Vigil's parse output, given to SQL as the other views are.
INSERT INTO lake.vigil.dead_letter
SELECT source, format, CAST(TO_TIMESTAMP_LTZ(received_ms, 3) AS TIMESTAMP(6)), CAST(ts AS TIMESTAMP(6)),
       reason, detail, payload, payload_encoding, payload_truncated, payload_bytes, origin
FROM dead_letters;
