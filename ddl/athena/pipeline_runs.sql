-- One row per finished pipeline run (OpenLineage COMPLETE, FAIL or ABORT); started_at from the run's START event, null when none was seen.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.pipeline_runs (
  job_namespace string,
  job_name      string,
  run_id        string,
  status        string,
  started_at    timestamp,
  ended_at      timestamp,
  duration_ms   bigint,
  error_message string,
  output_rows   bigint,
  source        string
)
PARTITIONED BY (day(ended_at))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/pipeline_runs'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
