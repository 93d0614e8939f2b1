-- Every alert state change (the alert event contract); ends_at on resolved events only.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.alerts (
  alert_id    string,
  rule_id     string,
  severity    string,
  state       string,
  entity      string,
  summary     string,
  value       double,
  threshold   double,
  event_time  timestamp,
  starts_at   timestamp,
  ends_at     timestamp,
  labels      map<string,string>,
  runbook_url string,
  emitted_at  timestamp
)
PARTITIONED BY (day(event_time))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/alerts'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
