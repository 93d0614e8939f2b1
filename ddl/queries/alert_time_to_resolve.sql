-- Time to resolve per rule over the last 30 days: from an alert's start (starts_at) to its
-- resolution (ends_at), over resolved alerts. An alert resolves once per episode; DISTINCT keeps a
-- re-delivered resolution from counting twice.
WITH resolved AS (
  SELECT DISTINCT
    rule_id,
    alert_id,
    starts_at,
    ends_at
  FROM vigil.alerts
  WHERE state = 'resolved'
    AND event_time >= localtimestamp - INTERVAL '30' DAY
)
SELECT
  rule_id,
  count(*) AS resolved_alerts,
  round(avg(date_diff('second', starts_at, ends_at)) / 60.0, 1) AS mean_minutes,
  approx_percentile(date_diff('second', starts_at, ends_at), 0.5) / 60.0 AS p50_minutes,
  approx_percentile(date_diff('second', starts_at, ends_at), 0.95) / 60.0 AS p95_minutes
FROM resolved
GROUP BY rule_id
ORDER BY p95_minutes DESC
