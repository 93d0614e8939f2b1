-- Users with the most failed logons over the last 24 hours, with how widely they tried.
-- "Now" is the newest auth event in the table, not the wall clock: live the two are the same, and a
-- replay of historical files still gets an answer. Runs unchanged in Athena and `bin/vigil query`.
SELECT
  source_user,
  source_domain,
  count(*) AS failed_logons,
  count(DISTINCT destination_computer) AS destination_computers,
  count(DISTINCT source_computer) AS source_computers,
  min(event_time) AS first_failure,
  max(event_time) AS last_failure
FROM vigil.auth_events
WHERE orientation = 'LogOn'
  AND NOT success
  AND event_time >= (SELECT max(event_time) FROM vigil.auth_events) - INTERVAL '24' HOUR
GROUP BY source_user, source_domain
ORDER BY failed_logons DESC
LIMIT 20
