-- Every valid metric sample.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.metric_samples (
  name       string,
  value      double,
  event_time timestamp,
  labels     map<string,string>,
  source     string
)
PARTITIONED BY (day(event_time))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/metric_samples'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
