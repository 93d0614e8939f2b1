-- Freshness lag per dataset: when each dataset was last updated by a COMPLETE run, and how long
-- before "now" that is. The datasets at the top are the stalest. "Now" is the newest update of any
-- dataset in the table, not the wall clock, so a replay of historical files still gets an answer;
-- live, the newest update is minutes old (if every pipeline stops, the lags here stay small: the
-- freshness rules alert on that). Times are UTC. Runs unchanged in Athena and `bin/vigil query`.
SELECT
  dataset_namespace,
  dataset_name,
  max(updated_at) AS last_updated_at,
  date_diff('minute', max(updated_at), (SELECT max(updated_at) FROM vigil.dataset_updates)) AS lag_minutes,
  max_by(job_name, updated_at) AS last_updated_by
FROM vigil.dataset_updates
WHERE updated_at >= (SELECT max(updated_at) FROM vigil.dataset_updates) - INTERVAL '30' DAY
GROUP BY dataset_namespace, dataset_name
ORDER BY lag_minutes DESC
