-- Freshness lag per dataset: when each dataset was last updated by a COMPLETE run, and how long
-- ago that is. The datasets at the top are the stalest. Times are UTC (Athena's session zone).
SELECT
  dataset_namespace,
  dataset_name,
  max(updated_at) AS last_updated_at,
  date_diff('minute', max(updated_at), localtimestamp) AS lag_minutes,
  max_by(job_name, updated_at) AS last_updated_by
FROM vigil.dataset_updates
WHERE updated_at >= localtimestamp - INTERVAL '30' DAY
GROUP BY dataset_namespace, dataset_name
ORDER BY lag_minutes DESC
