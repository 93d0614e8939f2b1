-- Mirrors Vigil rule job_run_duration: a run that has been running (or ran) longer than its
-- budget; warning past 12m, critical past 15m, judged while the run is still going.
-- How: each START joined to its run's end within 15 minutes (a left outer interval join): no end
-- within 15 minutes is critical (reported when the watermark passes START + 15m, so a hung run is
-- caught), an end after 12 minutes is a warning. Ends may carry a slightly earlier time than
-- their start (the producers' clocks differ), hence the minute of slack before the start.
-- Does NOT do what Vigil does: a hung run is reported once at 15m, never at 12m (Vigil warns at
-- 12m and escalates at 15m); nothing says when the run finally ends (Vigil resolves the alert);
-- an end without a START is not judged; at the end of a bounded input every run still open is
-- reported as hung (Vigil fires no deadline merely because an input ended); no alert lifecycle,
-- repeats, silences or inhibit rules.
SELECT s.job, s.run_id, s.ts AS started_at, CAST(e.ts AS TIMESTAMP_LTZ(3)) AS ended_at,
       CASE WHEN e.run_id IS NULL THEN 'critical' ELSE 'warning' END AS severity
FROM (SELECT job, run_id, ts FROM runs WHERE event_type = 'START') AS s
LEFT JOIN (SELECT run_id, ts FROM runs WHERE event_type IN ('COMPLETE', 'FAIL', 'ABORT')) AS e
  ON s.run_id = e.run_id AND e.ts BETWEEN s.ts - INTERVAL '1' MINUTE AND s.ts + INTERVAL '15' MINUTE
WHERE e.run_id IS NULL OR e.ts > s.ts + INTERVAL '12' MINUTE;
