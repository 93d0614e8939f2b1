-- Alert state changes that have not reached a route, over the last 7 days: the latest attempt of
-- each delivery (sink, route and state change) is not 'delivered'. Failed and rejected deliveries
-- stay pending and are retried on a slow cadence; abandoned ones were given up (never sent);
-- superseded ones are left out (a newer state change went instead). A row here means on-call may
-- not have been told.
-- The 7 days end at the newest attempt in the table (live, that is now; a replayed or restored
-- table still gives answers).
WITH latest AS (
  SELECT
    sink,
    route,
    rule_id,
    alert_id,
    severity,
    state,
    alert_emitted_at,
    attempt,
    status,
    http_status,
    error,
    attempted_at,
    next_attempt_at,
    row_number() OVER (
      PARTITION BY sink, route, alert_id, state, alert_emitted_at
      ORDER BY attempted_at DESC, attempt DESC
    ) AS newest
  FROM vigil.alert_deliveries
  WHERE attempted_at >= (SELECT max(attempted_at) FROM vigil.alert_deliveries) - INTERVAL '7' DAY
)
SELECT
  sink,
  route,
  rule_id,
  alert_id,
  severity,
  state,
  alert_emitted_at,
  attempt AS attempts,
  status,
  http_status,
  error,
  attempted_at AS last_attempt_at,
  next_attempt_at
FROM latest
WHERE newest = 1
  AND status NOT IN ('delivered', 'superseded')
ORDER BY alert_emitted_at
