-- Users with the most failed logons over the last 24 hours, with how widely they tried.
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
  AND event_time >= localtimestamp - INTERVAL '24' HOUR
GROUP BY source_user, source_domain
ORDER BY failed_logons DESC
LIMIT 20
