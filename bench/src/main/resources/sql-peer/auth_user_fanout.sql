-- Mirrors Vigil rule auth_user_fanout: distinct destination computers a source user logs on to
-- over 10 minutes sliding by 1 minute; warning above 20.
-- How: a hopping window per source user with COUNT(DISTINCT destination_computer).
-- Does NOT do what Vigil does: one row per breaching window (up to ten per incident) instead of
-- one alert that fires and resolves; no repeats, silences or inhibit rules.
SELECT source_user, window_start, window_end, computers
FROM (
  SELECT source_user, window_start, window_end, COUNT(DISTINCT destination_computer) AS computers
  FROM TABLE(HOP(TABLE auth, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE))
  GROUP BY source_user, window_start, window_end)
WHERE computers > 20;
