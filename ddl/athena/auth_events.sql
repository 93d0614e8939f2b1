-- Every valid authentication event; values the collector did not know ('?') are null.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.auth_events (
  event_time           timestamp,
  source_user          string,
  source_domain        string,
  destination_user     string,
  destination_domain   string,
  source_computer      string,
  destination_computer string,
  auth_type            string,
  logon_type           string,
  orientation          string,
  success              boolean,
  source               string
)
PARTITIONED BY (day(event_time))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/auth_events'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
