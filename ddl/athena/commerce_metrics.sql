-- Per commerce source and 1-minute window, over valid and invalid records: events by type, revenue, invalid rate, purchases per view.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.commerce_metrics (
  window_start     timestamp,
  window_end       timestamp,
  source           string,
  views            bigint,
  carts            bigint,
  removals         bigint,
  purchases        bigint,
  revenue          double,
  valid_events     bigint,
  invalid_events   bigint,
  invalid_rate     double,
  view_to_purchase double
)
PARTITIONED BY (day(window_start))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/commerce_metrics'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
