-- p50 and p95 run duration per job over the last 7 days, successful runs with a known start.
-- "Now" is the newest run end in the table, not the wall clock: live the two are the same, and a
-- replay of historical files still gets an answer. Seconds are divided as doubles, so both engines
-- give the same number (their decimal divisions keep different scales: 460.9 in Athena, 460.878000
-- in Flink). Runs unchanged in Athena and `bin/vigil query`.
SELECT
  job_namespace,
  job_name,
  count(*) AS runs,
  CAST(approx_percentile(duration_ms, 0.5) AS double) / 1000 AS p50_seconds,
  CAST(approx_percentile(duration_ms, 0.95) AS double) / 1000 AS p95_seconds,
  CAST(max(duration_ms) AS double) / 1000 AS max_seconds
FROM vigil.pipeline_runs
WHERE status = 'COMPLETE'
  AND duration_ms IS NOT NULL
  AND ended_at >= (SELECT max(ended_at) FROM vigil.pipeline_runs) - INTERVAL '7' DAY
GROUP BY job_namespace, job_name
ORDER BY p95_seconds DESC
