-- Mirrors Vigil rule kpi_par_90: metric par_90_pct (any labels) above 3 (warning) or 5 (critical).
-- How: a filter on the samples; every sample past the threshold is a row.
-- Does NOT do what Vigil does: a row per bad sample (Vigil fires once per series, changes
-- severity, and resolves when a sample is back under the threshold); no repeats, silences or
-- inhibit rules.
SELECT series, metric_value, ts,
       CASE WHEN metric_value > 5 THEN 'critical' ELSE 'warning' END AS severity
FROM metrics
WHERE name = 'par_90_pct' AND metric_value > 3;
