-- Per source user and 5-minute window: auth events, LogOn events, failed events, failure rate, distinct destination and source computers.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.auth_user_features (
  window_start                   timestamp,
  window_end                     timestamp,
  source_user                    string,
  source_domain                  string,
  auth_events                    bigint,
  logons                         bigint,
  failures                       bigint,
  failure_rate                   double,
  distinct_destination_computers bigint,
  distinct_source_computers      bigint
)
PARTITIONED BY (day(window_start))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/auth_user_features'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
