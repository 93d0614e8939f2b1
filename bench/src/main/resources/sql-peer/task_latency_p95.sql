-- Mirrors Vigil rule task_latency_p95: p95 of a job's run durations over 5-minute windows;
-- warning above 600 s.
-- How: each run's START joined to its end (an interval join: runs of up to an hour), then a
-- tumbling window per job over the end times with approx_percentile (the project's UDAF: Flink
-- SQL 1.20 has no percentile aggregate).
-- Does NOT do what Vigil does: no `for: 15m` (every breaching window is a row), runs longer than
-- an hour are not counted (Vigil keeps a run's start until it ends), no alert lifecycle, repeats,
-- silences or inhibit rules.
WITH durations AS (
  SELECT s.job, e.ts, (e.event_ms - s.event_ms) / 1000.0 AS duration_s
  FROM (SELECT job, run_id, event_ms, ts FROM runs WHERE event_type = 'START') AS s
  JOIN (SELECT run_id, event_ms, ts FROM runs WHERE event_type IN ('COMPLETE', 'FAIL', 'ABORT')) AS e
    ON s.run_id = e.run_id AND e.ts BETWEEN s.ts - INTERVAL '1' MINUTE AND s.ts + INTERVAL '1' HOUR)
SELECT job, window_start, window_end, p95_seconds
FROM (
  SELECT job, window_start, window_end, approx_percentile(duration_s, 0.95) AS p95_seconds
  FROM TABLE(TUMBLE(TABLE durations, DESCRIPTOR(ts), INTERVAL '5' MINUTE))
  GROUP BY job, window_start, window_end)
WHERE p95_seconds > 600;
