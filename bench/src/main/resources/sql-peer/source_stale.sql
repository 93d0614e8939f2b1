-- Mirrors Vigil rule source_stale: time since the last record (valid or not) of an auth or
-- commerce source; warning after 5m, critical after 15m.
-- How: a heartbeat row per source and minute with records (TUMBLE), and the gap between
-- consecutive heartbeats (LAG); a gap of 5 minutes or more is reported when records return.
-- Does NOT do what Vigil does: Vigil alerts at the deadline while the source is silent (event-time
-- timers against the other inputs' progress, and processing-time timers when every input is
-- silent); here an outage is seen only once it is over, and a source that never comes back is
-- never reported. Minute granularity. No alert lifecycle (firing, escalation, resolution), no
-- repeats, no silences, and no inhibition (Vigil's source_stale holds back the invalid-rate alerts
-- of the same source, which the two invalid-rate statements here keep reporting).
SELECT source, previous_end AS silent_since, window_start AS seen_again,
       CASE WHEN window_start >= previous_end + INTERVAL '15' MINUTE THEN 'critical' ELSE 'warning' END AS severity
FROM (
  SELECT source, window_start, LAG(window_end) OVER (PARTITION BY source ORDER BY window_time) AS previous_end
  FROM (
    SELECT source, window_start, window_end, window_time, COUNT(*) AS records
    FROM TABLE(TUMBLE(TABLE records, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
    WHERE family IN ('AUTH', 'COMMERCE')
    GROUP BY source, window_start, window_end, window_time))
WHERE window_start >= previous_end + INTERVAL '5' MINUTE;
