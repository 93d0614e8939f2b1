-- Mirrors Vigil rule kpi_collection_rate: metric collection_rate_pct below 1.5 (warning) or 1
-- (critical).
-- How: a filter on the samples; every sample past the threshold is a row.
-- Does NOT do what Vigil does: no alert lifecycle (one alert per series that fires, escalates and
-- resolves), no repeats, silences or inhibit rules.
SELECT series, metric_value, ts,
       CASE WHEN metric_value < 1 THEN 'critical' ELSE 'warning' END AS severity
FROM metrics
WHERE name = 'collection_rate_pct' AND metric_value < 1.5;
