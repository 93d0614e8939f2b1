-- Data-quality trend per day over the last 30 days: for every dataset check (OpenLineage
-- assertions and reported figures) and every source's invalid rate, how many results, how many
-- failed, and the mean observed value (null counts, row counts, invalid rates). "Now" is the newest
-- result in the table, not the wall clock: live the two are the same, and a replay of historical
-- files still gets an answer. The day column is day_start, not day, which Flink SQL reserves. Runs
-- unchanged in Athena and `bin/vigil query`.
SELECT
  date_trunc('day', window_end) AS day_start,
  subject_type,
  subject,
  check_name,
  column_name,
  count(*) AS results,
  count_if(passed = false) AS failed,
  round(avg(observed_value), 6) AS mean_observed,
  max(observed_value) AS max_observed
FROM vigil.dq_results
WHERE window_end >= (SELECT max(window_end) FROM vigil.dq_results) - INTERVAL '30' DAY
GROUP BY date_trunc('day', window_end), subject_type, subject, check_name, column_name
ORDER BY day_start, subject_type, subject, check_name, column_name
