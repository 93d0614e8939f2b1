-- Mirrors Vigil rule job_failure_rate: FAIL / (COMPLETE + FAIL) of a job's runs over a 1h window
-- sliding by 5m; warning above 5 %.
-- How: a hopping window aggregate per job; every window past the threshold is a row.
-- Does NOT do what Vigil does: no `for: 10m` (Vigil fires only when the share stays above the
-- threshold for 10 minutes; here every breaching window is reported, twelve rows per incident as
-- the windows slide over it), no alert lifecycle (one firing alert, resolved when the share drops),
-- no repeats, no silences, no inhibit rules.
SELECT job, window_start, window_end, failed, finished, CAST(failed AS DOUBLE) / finished AS failure_rate
FROM (
  SELECT job, window_start, window_end,
         COUNT(*) FILTER (WHERE event_type = 'FAIL') AS failed, COUNT(*) AS finished
  FROM TABLE(HOP(TABLE runs, DESCRIPTOR(ts), INTERVAL '5' MINUTE, INTERVAL '1' HOUR))
  WHERE event_type IN ('COMPLETE', 'FAIL')
  GROUP BY job, window_start, window_end)
WHERE CAST(failed AS DOUBLE) / finished > 0.05;
