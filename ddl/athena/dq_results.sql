-- Data-quality results: OpenLineage assertions and metrics of input datasets (subject_type 'dataset'), and each source's invalid-record rate per 5-minute window (subject_type 'source'). passed is null for figures reported without a verdict.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.dq_results (
  subject_type   string,
  subject        string,
  check_name     string,
  column_name    string,
  observed_value double,
  threshold      double,
  passed         boolean,
  window_start   timestamp,
  window_end     timestamp,
  job_namespace  string,
  job_name       string,
  run_id         string,
  source         string
)
PARTITIONED BY (day(window_end))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/dq_results'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
