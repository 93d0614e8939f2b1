-- One row per output dataset of a COMPLETE run.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.dataset_updates (
  dataset_namespace string,
  dataset_name      string,
  job_namespace     string,
  job_name          string,
  run_id            string,
  updated_at        timestamp,
  row_count         bigint,
  source            string
)
PARTITIONED BY (day(updated_at))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/dataset_updates'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
