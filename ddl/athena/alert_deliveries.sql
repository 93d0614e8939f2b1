-- Every attempt to deliver an alert state change to a Slack route or an SNS topic: status
-- delivered, retrying, failed or rejected (both still pending, retried on a slow cadence),
-- abandoned (given up: refused too often, too old, or the queue full; error says which),
-- superseded (a newer state change of the alert was sent instead), or
-- unrouted (no route matched; attempt 0). alert_id, state and alert_emitted_at identify the state
-- change; a group notification (a route's group_by) has its group id in alert_id, and alert_ids
-- lists every alert a notification carried. No secrets: Slack routes are names, SNS routes topic ARNs, errors are redacted.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.alert_deliveries (
  sink             string,
  route            string,
  alert_id         string,
  rule_id          string,
  severity         string,
  state            string,
  alert_emitted_at timestamp,
  attempt          bigint,
  status           string,
  http_status      bigint,
  latency_ms       bigint,
  attempted_at     timestamp,
  next_attempt_at  timestamp,
  error            string,
  message_id       string,
  alert_ids        array<string>
)
PARTITIONED BY (day(attempted_at))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/alert_deliveries'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
