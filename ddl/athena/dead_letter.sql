-- Every refused record with the reason; partitioned by arrival (received_at), counted_at is the event time it counts at in invalid rates.
-- Times are UTC. Replace the bucket in LOCATION; keep the namespace in step with the job's (default vigil).
CREATE TABLE vigil.dead_letter (
  source            string,
  format            string,
  received_at       timestamp,
  counted_at        timestamp,
  reason            string,
  detail            string,
  payload           string,
  payload_encoding  string,
  payload_truncated boolean,
  payload_bytes     bigint,
  origin            string
)
PARTITIONED BY (day(received_at))
LOCATION 's3://YOUR-BUCKET/warehouse/vigil/dead_letter'
TBLPROPERTIES (
  'table_type'='ICEBERG',
  'format'='parquet',
  'write_compression'='zstd'
);
