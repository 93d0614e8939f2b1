-- p50 and p95 run duration per job over the last 7 days, successful runs with a known start.
SELECT
  job_namespace,
  job_name,
  count(*) AS runs,
  approx_percentile(duration_ms, 0.5) / 1000.0 AS p50_seconds,
  approx_percentile(duration_ms, 0.95) / 1000.0 AS p95_seconds,
  max(duration_ms) / 1000.0 AS max_seconds
FROM vigil.pipeline_runs
WHERE status = 'COMPLETE'
  AND duration_ms IS NOT NULL
  AND ended_at >= localtimestamp - INTERVAL '7' DAY
GROUP BY job_namespace, job_name
ORDER BY p95_seconds DESC
