-- Every valid e-commerce event.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.commerce_events (
  event_time    timestamp,
  event_type    string,
  product_id    bigint,
  category_id   bigint,
  category_code string,
  brand         string,
  price         double,
  user_id       bigint,
  user_session  string,
  source        string
)
PARTITIONED BY (day(event_time))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/commerce_events'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
