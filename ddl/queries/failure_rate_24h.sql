-- Failure rate per job over the last 24 hours: FAIL / (COMPLETE + FAIL + ABORT) of its finished runs.
-- "Now" is the newest run end in the table, not the wall clock: live the two are the same, and a
-- replay of historical files still gets an answer. Runs unchanged in Athena and `bin/vigil query`.
SELECT
  job_namespace,
  job_name,
  count(*) AS finished_runs,
  count_if(status = 'FAIL') AS failed_runs,
  count_if(status = 'ABORT') AS aborted_runs,
  round(CAST(count_if(status = 'FAIL') AS double) / count(*), 4) AS failure_rate
FROM vigil.pipeline_runs
WHERE ended_at >= (SELECT max(ended_at) FROM vigil.pipeline_runs) - INTERVAL '24' HOUR
GROUP BY job_namespace, job_name
ORDER BY failure_rate DESC, finished_runs DESC
