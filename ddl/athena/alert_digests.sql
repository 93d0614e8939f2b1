-- One route's digest of a period (a route's digest_at: daily at a local time in its time zone):
-- alerts that started firing and that resolved in the period, alerts still firing at its end,
-- mean and median time from firing to resolved of the alerts resolved in it (null without one),
-- and the entities that started firing most often (most first, at most 5). Slack routes are
-- names, SNS routes topic ARNs. Times are UTC; zone is the schedule's.
-- Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.alert_digests (
  sink              string,
  route             string,
  period_start      timestamp,
  period_end        timestamp,
  zone              string,
  fired             bigint,
  resolved          bigint,
  still_firing      bigint,
  mean_resolve_ms   bigint,
  median_resolve_ms bigint,
  top_entities      array<string>
)
PARTITIONED BY (day(period_end))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/alert_digests'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
