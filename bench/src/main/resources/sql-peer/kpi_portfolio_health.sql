-- Mirrors Vigil rule kpi_portfolio_health: metric portfolio_health below 5 (warning) or 3
-- (critical).
-- How: a filter on the samples; every sample past the threshold is a row.
-- Does NOT do what Vigil does: no alert lifecycle (fire, escalate, resolve), no repeats,
-- silences or inhibit rules.
SELECT series, metric_value, ts,
       CASE WHEN metric_value < 3 THEN 'critical' ELSE 'warning' END AS severity
FROM metrics
WHERE name = 'portfolio_health' AND metric_value < 5;
