-- Mirrors Vigil rule dataset_freshness: time since an output dataset last appeared in the outputs
-- of a COMPLETE run; warning after 2h, critical after 4h.
-- How: every update of a dataset is compared with the one before it (LAG over the dataset's
-- updates in event time); a gap of more than 2h is reported when the next update arrives.
-- Does NOT do what Vigil does: Vigil's event-time deadline alerts at 2h while the dataset is still
-- stale (and live, by processing time, even when every input is silent); here a gap is seen only
-- once it has ended, and a dataset that never updates again is never reported. No alert
-- lifecycle (pending/firing/resolved, escalation from warning to critical), no repeats, no
-- silences, no inhibit rules, no notification of any kind: one row per gap.
SELECT dataset, previous_update, updated_at,
       CASE WHEN updated_at > previous_update + INTERVAL '4' HOUR THEN 'critical' ELSE 'warning' END AS severity
FROM (
  SELECT dataset, ts AS updated_at, CAST(LAG(ts) OVER (PARTITION BY dataset ORDER BY ts) AS TIMESTAMP_LTZ(3)) AS previous_update
  FROM (
    SELECT o.dataset, r.ts
    FROM runs AS r CROSS JOIN UNNEST(r.outputs) AS o (dataset)
    WHERE r.event_type = 'COMPLETE'))
WHERE updated_at > previous_update + INTERVAL '2' HOUR;
