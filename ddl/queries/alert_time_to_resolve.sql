-- Time to resolve per rule over the last 30 days: from an alert's start (starts_at) to its
-- resolution (ends_at), over resolved alerts. An alert resolves once per episode; DISTINCT keeps a
-- re-delivered resolution from counting twice. "Now" is the newest alert event in the table, not
-- the wall clock: live the two are the same, and a replay of historical files still gets an
-- answer. Minutes are computed as doubles: Flink's avg of a bigint is a bigint, and the engines'
-- decimal divisions keep different scales. Runs unchanged in Athena and `bin/vigil query`.
WITH resolved AS (
  SELECT DISTINCT
    rule_id,
    alert_id,
    starts_at,
    ends_at
  FROM vigil.alerts
  WHERE state = 'resolved'
    AND event_time >= (SELECT max(event_time) FROM vigil.alerts) - INTERVAL '30' DAY
)
SELECT
  rule_id,
  count(*) AS resolved_alerts,
  round(avg(CAST(date_diff('second', starts_at, ends_at) AS double)) / 60, 1) AS mean_minutes,
  round(CAST(approx_percentile(date_diff('second', starts_at, ends_at), 0.5) AS double) / 60, 1) AS p50_minutes,
  round(CAST(approx_percentile(date_diff('second', starts_at, ends_at), 0.95) AS double) / 60, 1) AS p95_minutes
FROM resolved
GROUP BY rule_id
ORDER BY p95_minutes DESC
