-- One row per finished pipeline run (OpenLineage COMPLETE, FAIL or ABORT); started_at from the run's START event, null when none was seen.
-- parent_*: the run's OpenLineage parent facet (dbt invocation, Airflow DAG run); job_type, processing_type,
-- integration: the jobType facet; nominal_*: the nominalTime facet. Null when the finishing event lacks them.
-- A table made before these columns existed gains them when the job starts (or: ALTER TABLE ... ADD COLUMNS).
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
  source        string,
  parent_run_id        string,
  parent_job_namespace string,
  parent_job_name      string,
  job_type             string,
  processing_type      string,
  integration          string,
  nominal_start_time   timestamp,
  nominal_end_time     timestamp
)
PARTITIONED BY (day(ended_at))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/pipeline_runs'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
