-- Mirrors Vigil rule kpi_rdr_90: metric rdr_90_pct below 50 (warning) or 25 (critical).
-- How: a filter on the samples; every sample past the threshold is a row.
-- Does NOT do what Vigil does: no alert lifecycle (fire, escalate, resolve), no repeats,
-- silences or inhibit rules.
SELECT series, metric_value, ts,
       CASE WHEN metric_value < 25 THEN 'critical' ELSE 'warning' END AS severity
FROM metrics
WHERE name = 'rdr_90_pct' AND metric_value < 50;
