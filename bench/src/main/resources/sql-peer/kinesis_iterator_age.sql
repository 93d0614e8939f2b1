-- Mirrors Vigil rule kinesis_iterator_age: metric kinesis_iterator_age_ms above 300000 for 3
-- minutes (warning).
-- How: `for: 3m` as "every sample of a 3-minute window sliding by 1 minute is above": a hopping
-- window per series with MIN(value).
-- Does NOT do what Vigil does: Vigil's `for` starts at the first bad sample and fires exactly 3
-- minutes later (pending, then firing); here the condition is judged on window boundaries, so it
-- fires up to a minute later and once per breaching window; no resolution, repeats, silences or
-- inhibit rules.
SELECT series, window_start, window_end, min_value
FROM (
  SELECT series, window_start, window_end, MIN(metric_value) AS min_value
  FROM TABLE(HOP(TABLE metrics, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
  WHERE name = 'kinesis_iterator_age_ms'
  GROUP BY series, window_start, window_end)
WHERE min_value > 300000;
