-- Mirrors Vigil rule ecommerce_invalid_events: invalid / total records of each commerce source
-- over 5 minutes sliding by 1 minute; warning above 10 %, critical above 50 %.
-- How: a hopping window aggregate over every record (valid or not) of the commerce family.
-- Does NOT do what Vigil does: one row per breaching window instead of one alert per incident
-- with its severity changes and resolution; late records are dropped by the window; not
-- inhibited while the source is stale (Vigil's inhibit rule); no repeats, no silences; dead
-- letters counted, not kept.
SELECT source, window_start, window_end, records, invalid, CAST(invalid AS DOUBLE) / records AS invalid_share,
       CASE WHEN CAST(invalid AS DOUBLE) / records > 0.5 THEN 'critical' ELSE 'warning' END AS severity
FROM (
  SELECT source, window_start, window_end, COUNT(*) AS records, COUNT(*) FILTER (WHERE NOT valid) AS invalid
  FROM TABLE(HOP(TABLE records, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
  WHERE family = 'COMMERCE'
  GROUP BY source, window_start, window_end)
WHERE CAST(invalid AS DOUBLE) / records > 0.1;
