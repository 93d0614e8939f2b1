-- Mirrors Vigil rule auth_invalid_records: invalid / total records of each auth source over 5
-- minutes sliding by 1 minute; warning above 0.1 %.
-- How: a hopping window aggregate over every record (valid or not) of the auth family.
-- Does NOT do what Vigil does: one row per breaching window (up to five per incident as the
-- windows slide) instead of one alert that fires and resolves; late records are dropped by the
-- window (Vigil counts them); not inhibited while the source is stale (Vigil's inhibit rule);
-- no repeats, no silences. The dead letters themselves are only counted here; Vigil also keeps
-- each one, with its reason, in the dead-letter output and table.
SELECT source, window_start, window_end, records, invalid, CAST(invalid AS DOUBLE) / records AS invalid_share
FROM (
  SELECT source, window_start, window_end, COUNT(*) AS records, COUNT(*) FILTER (WHERE NOT valid) AS invalid
  FROM TABLE(HOP(TABLE records, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
  WHERE family = 'AUTH'
  GROUP BY source, window_start, window_end)
WHERE CAST(invalid AS DOUBLE) / records > 0.001;
